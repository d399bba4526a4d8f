from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_public_and_asks_for_username_and_password(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_a_person_signs_in_and_lands_on_the_home_page(client: Client, marketing_user: User) -> None:
    response = client.post(reverse("login"), {"username": "mara", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welcome, Mara" in response.text


def test_a_bad_sign_in_says_what_went_wrong_and_keeps_the_username(
    client: Client, marketing_user: User
) -> None:
    response = client.post(reverse("login"), {"username": "mara", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert 'value="mara"' in response.text
    assert "_auth_user_id" not in client.session


def test_an_empty_sign_in_form_names_the_missing_fields(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.text.count("This field is required.") == 2


def test_a_signed_in_person_visiting_sign_in_goes_home(client: Client, marketing_user: User) -> None:
    client.force_login(marketing_user)
    assert client.get(reverse("login")).url == reverse("home")


def test_signing_out_takes_a_post_and_ends_the_session(client: Client, marketing_user: User) -> None:
    client.force_login(marketing_user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_only_follows_a_next_url_on_this_site(client: Client, marketing_user: User) -> None:
    response = client.post(
        reverse("login") + "?next=https://evil.example/", {"username": "mara", "password": PASSWORD}
    )
    assert response.url == reverse("home")
