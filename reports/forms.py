import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date

PDF_CONTENT_TYPES = {"application/pdf", "application/x-pdf", "application/acrobat"}


class ProgressReportForm(forms.Form):
    period_start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_sensible_date],
    )
    period_end = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_sensible_date],
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        if end and end > datetime.date.today() + datetime.timedelta(days=366):
            self.add_error("period_end", _("The period must not end more than a year from now."))
        return cleaned


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "ABCD-EFGH-JKMN", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label=_("Or upload the PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        limit = settings.ALIANZA_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        head = upload.read(5)
        upload.seek(0)
        if content_type not in PDF_CONTENT_TYPES | {"application/octet-stream"} or head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("code") and not cleaned.get("file") and not self.errors:
            raise forms.ValidationError(_("Enter a verification code or choose a PDF file."))
        return cleaned
