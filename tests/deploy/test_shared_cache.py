"""Issue 26: SOBRIO_CACHE_URL puts the cache, the limits and job progress in Redis, shared
by every process of every server; without it, files on one machine as before."""

import pytest

from sobrio import env
from sobrio.core import limits
from tests.deploy.peers import redis_server
from tests.instances import sobrio, sobrio_env


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def test_the_cache_setting_names_redis_or_stays_on_files(tmp_path):
    files = env.env_cache(tmp_path, environ={})
    assert files["BACKEND"] == "sobrio.core.cache.FileCache"  # Django's, culled less often
    shared = env.env_cache(tmp_path, environ={"SOBRIO_CACHE_URL": "redis://10.0.0.5:6379/2"})
    assert shared["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["LOCATION"] == "redis://10.0.0.5:6379/2"
    with pytest.raises(env.SettingError, match="Redis"):
        env.env_cache(tmp_path, environ={"SOBRIO_CACHE_URL": "memcached://x"})


def test_a_limit_counted_by_another_process_holds_here(redis_url, settings, tmp_path):
    settings.CACHES = {"default": env.env_cache(tmp_path, {"SOBRIO_CACHE_URL": redis_url})}
    other = sobrio_env(tmp_path, f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other["SOBRIO_CACHE_URL"] = redis_url
    # another server spends the whole allowance of this address...
    sobrio(other, "shell", "-c",
           "from sobrio.core import limits\n"
           "for _ in range(3): limits.hit('pledge', '7:198.51.100.9', 3, 3600)")  # fmt: skip
    # ...so this one refuses the next request from it, and not another address's
    with pytest.raises(limits.Limited) as refused:
        limits.hit("pledge", "7:198.51.100.9", 3, 3600)
    assert 0 < refused.value.retry_after <= 3600
    assert limits.hit("pledge", "7:198.51.100.10", 3, 3600) == 1
    from django.core.cache import cache

    cache.set("sobrio-test", {"figure": 228482.0})
    read = "from django.core.cache import cache; print(cache.get('sobrio-test'))"
    shown = sobrio(other, "shell", "-c", read)
    assert shown.strip().splitlines()[-1] == "{'figure': 228482.0}"
