"""Who is who in the loaded demo: the main logins, then for each partnership who facilitates it,
which public officials sign off its gates and which signatories sign its agreement.

Read from the database (what the gates will really ask), so it is right after any change to
the demo data. The README's list is this command's output.
"""

from django.core.management.base import BaseCommand
from django.utils import translation

from demo import loader
from demo.dataset import DEMO_PASSWORD
from partnerships import gates
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "List the demo logins and who signs off which demo partnership."

    def handle(self, *args, **options):
        translation.activate("en")
        out = self.stdout.write
        out(f"Every demo login has the password {DEMO_PASSWORD}.\n")
        for email, _password, role, organisation in loader.logins():
            out(f"  {email}  {role} ({organisation})")
        partnerships = Partnership.objects.select_related("facilitator").order_by("reference")
        for partnership in partnerships:
            out(
                f"\n{partnership.reference}  {partnership.title} ({partnership.get_phase_display()})"
            )
            out(f"  facilitator: {partnership.facilitator.email}")
            officials = ", ".join(
                f"{u.email} ({u.organisation})" for u in gates.eligible_officials(partnership)
            )
            out(f"  officials who sign off every gate: {officials or '-'}")
            out("  signatories who sign the agreement:")
            members = partnership.members.select_related("organisation", "signatory")
            for member in members.order_by("organisation__name"):
                who = member.signatory.email if member.signatory else "- (none: it blocks signing)"
                out(f"    {who}  for {member.organisation}")
