from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django_fsm.signals import post_transition

        from actors.views import register_detail_context

        from .audit import admin as audit_admin  # noqa: F401  (the read-only audit trail admin)
        from .lifecycle import gate_items
        from .models import tallies
        from .phases import checklists as phase_checklists
        from .phases import services as phase_services
        from .views.partnership import organisation_partnerships

        register_detail_context(organisation_partnerships)
        tallies.register(self.get_model("Partnership"))

        # Agreement versions: frozen when the design gate passes, reopened on renegotiation.
        post_transition.connect(
            phase_services.on_post_transition,
            sender=self.get_model("Partnership"),
            dispatch_uid="partnerships.agreement_versions",
        )
        from . import signals

        signals.amendment_signed.connect(
            phase_services.agreement_version_amended,
            dispatch_uid="partnerships.agreement_version_amended",
        )
        gate_items.register_all()  # the lifecycle's own items lead each checklist
        phase_checklists.register_all()
        self._track_changes()

    def _track_changes(self):
        """Every change of these records is an audit entry (``audit.tracking``). Left out:
        what the services record in their own words (phase changes, sign-offs, a measurement
        corrected or removed, a member removed with its contributions) and the system's own
        rows (tallies, the trail itself, agreement versions)."""
        from .audit.tracking import CHANGED, CREATED, DELETED, track

        model = self.get_model
        partnership = model("Partnership")
        track(
            partnership,
            ignore=("reference", *partnership.LIFECYCLE_FIELDS, "created_by"),
            on=(CREATED, CHANGED),
            partnership=lambda p: p.pk,
        )
        track(model("Member"), on=(CREATED, CHANGED))  # a removal: services.member_remove
        track(model("Contribution"), ignore=("delivered_amount",), on=(CREATED, CHANGED))
        track(model("Delivery"), on=(CREATED,), partnership=lambda d: d.contribution.partnership_id)
        track(model("Objective"))
        track(model("Indicator"), partnership=lambda i: i.objective.partnership_id)
        # Corrections and removals are recorded by services.measurement_*.
        track(
            model("Measurement"),
            on=(CREATED,),
            partnership=lambda m: m.indicator.objective.partnership_id,
        )
        for name in ("Activity", "Meeting", "Assessment", "Conflict", "ClosureNote"):
            track(model(name))
        track(model("Attendance"), partnership=lambda a: a.meeting.partnership_id)
        for name in ("ProblemNode", "MatrixRow", "PartnerCandidate"):
            track(model(name))
        track(model("Attachment"), on=(CREATED, DELETED))
