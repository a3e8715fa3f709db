"""Write partnerships as an IATI 2.03 activity file to standard output."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships.exports import iati, iati_rules
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "Write partnerships (all, or those given) as IATI 2.03 activity XML to standard output."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnership", type=int, action="append", default=[], metavar="ID", nargs="+"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Also validate against the XSD, the code lists and the rules (the IATI data "
            "vendored in partnerships/iati_data/, or ALIANZA_IATI_DIR); problems go to standard "
            "error and the exit status is 1.",
        )

    def handle(self, *args, partnership, check, **options):
        ids = [pk for group in partnership for pk in group]
        qs = Partnership.objects.order_by("pk")
        if ids:
            qs = qs.filter(pk__in=ids)
            missing = set(ids) - set(qs.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No partnership with id {', '.join(map(str, sorted(missing)))}")
        xml = iati.activities_xml(qs)
        self.stdout.write(xml.decode("utf-8"), ending="")
        if check:
            problems = iati_rules.all_errors(xml, settings.ALIANZA_IATI_DIR)
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} problem(s) in the IATI file")
