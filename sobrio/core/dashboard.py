"""The cockpit: each app adds its cards and its first steps here, in AppConfig.ready();
the core shows them and knows none of them.

A card is (template, context) built from the request, or nothing when the app has no
data yet; a context with "stale" true holds provisional figures, and the cockpit is then
shown without being kept (core/freshness.py); a first step is something a new
institution does once, ticked when done.
"""

from dataclasses import dataclass

from sobrio.core import perms


@dataclass(frozen=True)
class Step:
    key: str
    order: int
    label: object
    url: str  # URL name
    done: object  # (institution) -> bool
    help: object = ""
    capability: str = perms.EDIT


@dataclass(frozen=True)
class Card:
    key: str
    order: int
    template: str
    build: object  # (request) -> dict for the template, or None
    # the apps whose rows the card reads (None: any): its HTML is kept until one changes
    depends: tuple | None = None


STEPS, CARDS = [], []


def register_step(step):
    STEPS.append(step)


def register_card(card):
    CARDS.append(card)


def first_steps(request):
    """Every first step with whether it is done and whether this member may do it."""
    out = []
    for step in sorted(STEPS, key=lambda s: s.order):
        out.append(
            {
                "step": step,
                "done": bool(step.done(request.institution)),
                "allowed": perms.has_capability(request.membership, step.capability),
            }
        )
    return out


def cards(request):
    """[(html, stale)] of the cards with something to show. Each card's HTML is kept
    apart (core/freshness.py): after a change, only the cards that read the changed app
    are built again."""
    from django.template.loader import render_to_string

    from sobrio.core import freshness

    out = []
    for card in sorted(CARDS, key=lambda c: c.order):
        stale = []

        def build(card=card, stale=stale):
            context = card.build(request)
            if context is None:
                return "", True
            stale.append(bool(context.get("stale")))
            html = render_to_string(card.template, {"card": context}, request=request)
            return html, not context.get("stale")

        html = freshness.fragment(request, f"card-{card.key}", build, depends=card.depends)
        if html:
            out.append((html, any(stale)))
    return out


@dataclass(frozen=True)
class Part:
    """A part of a step of the loop ("act": quizzes, workshops, paths…), shown on the
    step's page with a figure of what it holds."""

    step: str
    key: str
    order: int
    title: object
    description: object
    url: str  # URL name
    figure: object = None  # (request) -> text, or None


PARTS = []


def register_part(part):
    PARTS.append(part)


def parts(request, step):
    out = []
    for part in sorted((p for p in PARTS if p.step == step), key=lambda p: p.order):
        out.append({"part": part, "figure": part.figure(request) if part.figure else ""})
    return out
