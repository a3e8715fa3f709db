from django import forms

from actors.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_preference"]
        widgets = {"email_preference": forms.RadioSelect}
