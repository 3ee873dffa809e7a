"""Where each model of the former awareness app went (December 2026). The migrations that
moved the tables read it, and so does the restore of a backup made before the move, whose
rows still carry the old labels (awareness.quiz is now learning.quiz)."""

# model -> its app now; the table awareness_<model> became <app>_<model>
MOVED = {
    "quiz": "learning", "question": "learning", "attempt": "learning",
    "response": "learning", "workshopkind": "learning", "session": "learning",
    "registration": "learning", "surveyanswer": "learning", "module": "learning",
    "path": "learning", "pathmodule": "learning", "modulevalidation": "learning",
    "certificate": "learning",
    "cleanupcampaign": "cleanup", "team": "cleanup", "pledge": "cleanup",
    "idea": "ideas", "ideavote": "ideas", "ideacomment": "ideas",
    "badgeissuer": "badges", "badgekey": "badges", "badgeclass": "badges",
    "badgeassertion": "badges",
}  # fmt: skip
