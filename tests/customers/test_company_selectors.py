from customers.companies.selectors import company_id_for
from customers.models import Company, CompanyMember
from tests.factories import UserFactory, default_group


def test_a_member_buys_for_their_company_and_others_for_none(db, django_assert_num_queries):
    company = Company.objects.create(name="Bistro Lumière", group=default_group())
    member, outsider = UserFactory(), UserFactory()
    CompanyMember.objects.create(company=company, user=member)

    with django_assert_num_queries(1):
        assert company_id_for(member) == company.pk
        assert company_id_for(member) == company.pk
    assert company_id_for(outsider) is None
    assert company_id_for(None) is None
