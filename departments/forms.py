"""The account page's form: a person's own name and phone."""

from django import forms

from departments.models import Membership


class PersonForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["name", "phone"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()
