from tests.browser.conftest import screenshot, sign_in


def test_sign_in_page_speaks_chinese_and_switches_to_english(page, demo_accounts):
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    screenshot(page, "login")
    page.click("text=English")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sign in"


def test_wrong_password_is_told_and_right_one_signs_in(page, demo_accounts):
    sign_in(page, "policy-law", "wrong-password")
    assert page.locator("[role=alert]").count() == 1
    assert page.input_value("#id_username") == "policy-law"
    page.goto("/accounts/login/?next=/")
    sign_in_next = page.url
    assert "next=/" in sign_in_next
    page.fill("#id_username", "policy-law")
    page.fill("#id_password", demo_accounts)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    assert "宿迁市交通运输局2016年政务公开工作实施方案" in page.locator("h1").inner_text()
    assert page.locator(".task-row").count() == 17
    screenshot(page, "plan-overview")
