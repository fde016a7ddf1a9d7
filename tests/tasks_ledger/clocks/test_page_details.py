"""The record-an-event page leads back: to the clocks board and to the task's ledger."""

from django.urls import reverse


def test_the_record_page_links_back_to_the_board_and_the_task(client, people, emergency_task):
    client.force_login(people["staff"])
    response = client.get(reverse("clocks:event-record", args=[emergency_task.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    crumbs = html[html.index('<p class="crumbs">') :]
    crumbs = crumbs[: crumbs.index("</p>")]
    assert f'href="{reverse("clocks:board")}"' in crumbs
    assert f'href="{reverse("ledger:task", args=[emergency_task.pk])}"' in crumbs
