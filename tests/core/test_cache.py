"""The cache of one machine without Redis (sobrio/core/cache.py)."""


def test_the_file_cache_of_one_machine_culls_once_a_minute_not_at_each_write(tmp_path):
    """Django's file cache lists its whole folder at each write (most of a pledge's cost);
    Sobrio's culls at most once a minute per process, and still culls."""
    from sobrio.core import cache as file_cache

    store = file_cache.FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 5}})
    listed = []
    original = store._list_cache_files
    store._list_cache_files = lambda: listed.append(1) or original()
    for n in range(20):
        store.set(f"k{n}", n)
    assert len(listed) == 1  # the first write looked, the next 19 did not
    assert store.get("k19") == 19
    file_cache._culled_at.clear()  # a minute later
    store.set("k20", 20)
    assert len(list(tmp_path.glob("*.djcache"))) < 20
