"""The shapes of the API's contacts, pages and errors, in lexoffice's field names.

These serializers check a request's shape (types, nesting) and describe requests and answers in
the OpenAPI schema. What a value must be (a VAT ID's check digit, a postal code's pattern, a
length) is checked by the contact form itself (`api.contact_input`), as on the pages; answers
are written by `api.contact_output` straight from the database rows, which is many times
faster than serializing model instances field by field.
"""

from __future__ import annotations

from rest_framework import serializers


def text(**kwargs) -> serializers.CharField:
    """A text field that may be left out, empty or null (null counts as empty)."""
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=True, **kwargs
    )


def text_list() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)


class RoleSerializer(serializers.Serializer):
    # Read-only as at lexoffice: a number sent is ignored. Not marked readOnly in the schema,
    # which would make it required in answers, and a role can be without a number (imports).
    number = serializers.IntegerField(
        required=False, help_text="Assigned by Kontor when the role is given; read-only."
    )


class RolesSerializer(serializers.Serializer):
    customer = RoleSerializer(required=False)
    vendor = RoleSerializer(required=False)


class ContactPersonSerializer(serializers.Serializer):
    salutation = text()
    firstName = text()
    lastName = text()
    primary = serializers.BooleanField(required=False, default=False)
    emailAddress = text()
    phoneNumber = text()
    # Kontor's own, which lexoffice lacks; left out on PUT they stay as they were.
    title = text()
    position = text()
    phoneExtension = text()
    mobileNumber = text()


class CompanySerializer(serializers.Serializer):
    name = text()
    taxNumber = text()
    vatRegistrationId = text()
    allowTaxFreeInvoices = serializers.BooleanField(
        required=False, help_text="Accepted for lexoffice's clients; Kontor keeps no such flag."
    )
    contactPersons = ContactPersonSerializer(many=True, required=False)


class PersonSerializer(serializers.Serializer):
    salutation = text()
    firstName = text()
    lastName = text()
    title = text(help_text="Kontor's own; left out on PUT it stays as it was.")


class AddressSerializer(serializers.Serializer):
    supplement = text()
    street = text()
    zip = text()
    city = text()
    countryCode = text(help_text="ISO 3166 alpha-2, e.g. DE")


class AddressesSerializer(serializers.Serializer):
    billing = AddressSerializer(many=True, required=False, help_text="At most one.")
    shipping = AddressSerializer(many=True, required=False, help_text="At most one.")


class EmailAddressesSerializer(serializers.Serializer):
    business = text_list()
    office = text_list()
    private = text_list()
    other = text_list()


class PhoneNumbersSerializer(serializers.Serializer):
    business = text_list()
    office = text_list()
    mobile = text_list()
    private = text_list()
    fax = text_list()
    other = text_list()


class ContactSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    organizationId = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(
        required=False, help_text="Required on PUT: the version the change was made on."
    )
    roles = RolesSerializer()
    company = CompanySerializer(required=False)
    person = PersonSerializer(required=False)
    addresses = AddressesSerializer(required=False)
    emailAddresses = EmailAddressesSerializer(required=False)
    phoneNumbers = PhoneNumbersSerializer(required=False)
    note = text(help_text="The newest note; a different one given is added as a new note.")
    archived = serializers.BooleanField(required=False)
    industry = text(help_text="Kontor's own; left out on PUT it stays as it was.")
    tags = serializers.ListField(
        child=serializers.CharField(allow_blank=False),
        required=False,
        help_text="Kontor's tags, by name (new names make new tags); left out on PUT they stay.",
    )
    createdDate = serializers.DateTimeField(read_only=True)
    updatedDate = serializers.DateTimeField(read_only=True)


class WriteResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    resourceUri = serializers.URLField()
    createdDate = serializers.DateTimeField()
    updatedDate = serializers.DateTimeField()
    version = serializers.IntegerField()


class SortSerializer(serializers.Serializer):
    property = serializers.CharField()
    direction = serializers.ChoiceField(choices=["ASC", "DESC"])
    ignoreCase = serializers.BooleanField()
    nullHandling = serializers.CharField()
    ascending = serializers.BooleanField()


class PageSerializer(serializers.Serializer):
    first = serializers.BooleanField()
    last = serializers.BooleanField()
    totalPages = serializers.IntegerField()
    totalElements = serializers.IntegerField()
    numberOfElements = serializers.IntegerField()
    size = serializers.IntegerField()
    number = serializers.IntegerField()
    sort = SortSerializer(many=True)


class ContactPageSerializer(PageSerializer):
    content = ContactSerializer(many=True)


class ErrorDetailSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True)
    violation = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    error = serializers.CharField()
    message = serializers.CharField()
    details = ErrorDetailSerializer(many=True)
