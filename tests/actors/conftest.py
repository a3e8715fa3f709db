from django import forms

from actors.forms import OrganisationNameField


class PickForm(forms.Form):
    organisation = OrganisationNameField(label="Organisation", required=False)


def pick(text):
    """The name field alone, given ``text``, validated."""
    form = PickForm({"organisation": text})
    form.is_valid()
    return form
