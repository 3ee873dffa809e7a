"""Who reads a network: its viewers, and the team (VIEW) of a member institution, acting
in that institution. Anyone else gets 404, whatever the network."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from sobrio.core import perms
from sobrio.network.models import MemberState, Network, NetworkMember, NetworkViewer

NETWORK = "network"  # the capability the access walker reads on these views


def member_of(request, network):
    """The current institution's membership of the network, if its team may read it."""
    if request.institution is None or not perms.has_capability(request.membership, perms.VIEW):
        return None
    return NetworkMember.objects.filter(
        network=network,
        institution=request.institution,
        state__in=[MemberState.MEMBER, MemberState.INVITED],
    ).first()


def network_view(view):
    @wraps(view)
    def wrapped(request, network_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        network = Network.objects.filter(pk=network_id).first()
        if network is None:
            raise Http404
        request.network = network
        request.network_member = member_of(request, network)
        request.network_viewer = NetworkViewer.objects.filter(
            network=network, user=request.user
        ).exists()
        if request.network_member is None and not request.network_viewer:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.sobrio_capability = NETWORK
    return wrapped
