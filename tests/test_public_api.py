"""The public surface that developers, the UI and eval/ import."""

import qa


def test_public_names_are_exported_and_sorted():
    assert qa.__all__ == sorted(qa.__all__)
    assert {"Answer", "Assistant", "Citation", "Settings", "QAError", "Filters"} <= set(qa.__all__)
    for name in qa.__all__:
        assert hasattr(qa, name), name


def test_settings_read_qa_environment_variables(monkeypatch):
    monkeypatch.setenv("QA_GENERATOR", "extractive")
    monkeypatch.setenv("QA_TOP_K", "9")
    settings = qa.Settings()
    assert settings.generator == "extractive" and settings.top_k == 9


def test_api_key_is_not_shown_in_repr(monkeypatch):
    monkeypatch.setenv("QA_OPENAI_API_KEY", "sk-secret-value")
    assert "sk-secret-value" not in repr(qa.Settings())
