import json
from pathlib import Path

from django.core.management.base import CommandError

from sobrio.core.management.base import SobrioCommand
from sobrio.core.models import Institution
from sobrio.imports.problems import ImportFailure
from sobrio.learning import quizzes
from sobrio.learning.models import Quiz


class Command(SobrioCommand):
    help = (
        "Quiz au format GIFT de Moodle : 'import' crée un quiz d'un fichier (tout ou rien, "
        "sauf --valid-only), 'export' l'écrit en GIFT."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="créer un quiz depuis un fichier GIFT")
        imp.add_argument("file")
        imp.add_argument("--institution", required=True)
        imp.add_argument("--name", default="", help="nom du quiz (défaut : le nom du fichier)")
        imp.add_argument("--format", choices=("text", "json"), default="text")
        imp.add_argument(
            "--valid-only",
            action="store_true",
            help="importer les questions lisibles et lister les autres",
        )
        export = sub.add_parser("export", help="écrire un quiz en GIFT")
        export.add_argument("id", type=int)
        export.add_argument("-o", "--output", required=True)

    def handle(self, *args, action, **options):
        if action == "export":
            quiz = Quiz.objects.filter(pk=options["id"]).first()
            if quiz is None:
                raise CommandError(f"No quiz {options['id']}.")
            Path(options["output"]).write_text(quizzes.export_gift(quiz), encoding="utf-8")
            self.stdout.write(f"{options['output']}: {quiz.questions.count()} questions")
            return
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"Unknown institution {options['institution']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > quizzes.GIFT_MAX_BYTES:
            raise CommandError(f"{path}: larger than {quizzes.GIFT_MAX_BYTES // 2**20} MB")
        try:
            quiz, questions, left = quizzes.import_gift(
                institution,
                path.read_bytes(),
                path.name,
                name=options["name"],
                valid_only=options["valid_only"],
            )
        except ImportFailure as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError("nothing imported") from None
        for problem in left:
            self.stderr.write(f"left aside: {problem}")
        summary = quizzes.summary(quiz, questions)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary))
            return
        types = ", ".join(f"{k} {v}" for k, v in summary["types"].items() if v)
        self.stdout.write(f"quiz {quiz.pk} « {quiz.name} »: {len(questions)} questions ({types})")
