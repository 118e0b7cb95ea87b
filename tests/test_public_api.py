"""The public surface that developers, the UI and eval/ import."""

import qa


def test_public_names_are_exported_and_sorted():
    assert qa.__all__ == sorted(qa.__all__)
    assert {"Answer", "Assistant", "Citation", "Settings", "QAError", "Filters"} <= set(qa.__all__)
    for name in qa.__all__:
        assert hasattr(qa, name), name


def test_llama_index_components_are_exported_and_sorted():
    from qa import llama_index

    assert llama_index.__all__ == sorted(llama_index.__all__)
    assert {"AssistantQueryEngine", "AssistantRetriever", "local_llm", "to_filters"} <= set(llama_index.__all__)
    for name in llama_index.__all__:
        assert hasattr(llama_index, name), name


def test_settings_read_qa_environment_variables(monkeypatch):
    monkeypatch.setenv("QA_GENERATOR", "extractive")
    monkeypatch.setenv("QA_TOP_K", "9")
    settings = qa.Settings()
    assert settings.answer.generator == "extractive" and settings.retrieval.top_k == 9


def test_api_key_is_not_shown_in_repr(monkeypatch):
    monkeypatch.setenv("QA_OPENAI_API_KEY", "sk-secret-value")
    assert "sk-secret-value" not in repr(qa.Settings())


def test_settings_sections_take_new_nested_names_and_flat_overrides(monkeypatch):
    monkeypatch.setenv("QA_RETRIEVAL", "dense")
    monkeypatch.setenv("QA_UI_HISTORY_TURNS", "9")
    settings = qa.Settings(top_k=3, index_dir="/tmp/elsewhere")
    assert settings.retrieval.mode == "dense" and settings.retrieval.top_k == 3
    assert str(settings.index.dir) == "/tmp/elsewhere" and settings.ui.history_turns == 9
    assert settings.updated(generator="local").answer.generator == "local"


def test_openai_api_key_falls_back_to_the_conventional_variable(monkeypatch):
    monkeypatch.delenv("QA_OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-conventional")
    assert qa.Settings().llm.api_key.get_secret_value() == "sk-conventional"


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"top_k": 0}, "top_k"),
        ({"bogus": 1}, "bogus"),
        ({"generator": "gpt"}, "generator"),
        ({"retrieval": "dense"}, "retrieval"),
    ],
)
def test_overrides_are_validated(overrides, field):
    with pytest.raises(ValueError, match=field):
        qa.Settings().updated(**overrides)


def test_assistant_load_rejects_an_unknown_override(demo_index):
    with pytest.raises(ValueError, match="bogus"):
        qa.Assistant.load(demo_index, bogus=True)


def test_the_readme_settings_table_is_the_one_the_model_generates():
    from pathlib import Path

    from qa.settings import settings_table

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert settings_table() in readme, (
        "regenerate it: python -c 'from qa.settings import settings_table as t; print(t())'"
    )


def test_ui_examples_are_a_json_list_in_the_environment(monkeypatch):
    monkeypatch.setenv("QA_UI__EXAMPLES", '["Which ports share a pilotage service?", "When does the berth open?"]')
    assert qa.Settings().ui.examples == ["Which ports share a pilotage service?", "When does the berth open?"]
    monkeypatch.setenv("QA_UI__EXAMPLES", "[]")
    assert qa.Settings().ui.examples == []  # none, rather than the corpus's
    monkeypatch.delenv("QA_UI__EXAMPLES")
    assert qa.Settings().ui.examples is None  # unset: the corpus's own, else questions about its newest titles
    monkeypatch.setenv("QA_UI__EXAMPLES", "Which ports?")
    with pytest.raises(ValueError, match=r"QA_UI__EXAMPLES is not a JSON list.*QA_UI__EXAMPLES='\["):
        qa.Settings()
