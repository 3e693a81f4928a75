using System.Text.Json;

namespace Overseer.Core.Agents.Scripted;

/// <summary>
/// What a scripted session plays when it is given no script: every kind of event at a human
/// pace, so a newcomer with no API key sees what a real session looks like, including the core
/// of Overseer: one ORANGE tool call that waits at the safety gate for their approval. It works
/// in three phases and reports its progress in each, as seed 003's agents do. It says plainly
/// that its actions are simulated.
/// </summary>
public static class DemoScript
{
    private const string Json =
        """
        [
          {"phase": {"name": "Look around", "total": 3}},
          {"think": "The user wants a quick tour of this project. I'll look around, then ask which part matters most."},
          {"sleep": 900},
          {"say": "This is Overseer's demo session, played from a script: its commands and their output are simulated, and nothing runs on your machine. What waits for you is real, though: an approval and a question will hold the session until you answer them."},
          {"sleep": 600},
          {"say": "Let me start by looking at what is in this project."},
          {"progress": {"percent": 30, "text": "listing the files"}},
          {"sleep": 600},
          {"tool": {"name": "Bash", "input": {"command": "ls -la", "description": "List the project's files"}, "output": "total 24\ndrwxr-xr-x  5 dev dev 4096 .\n-rw-r--r--  1 dev dev  812 README.md\ndrwxr-xr-x  3 dev dev 4096 src\ndrwxr-xr-x  2 dev dev 4096 tests"}},
          {"progress": {"percent": 60, "text": "reading the README"}},
          {"sleep": 900},
          {"tool": {"name": "Read", "input": {"file_path": "README.md"}, "output": "# Example\nA small service with a parser in src/ and its tests in tests/.\nDocs: https://example.com"}},
          {"usage": {"inputTokens": 1840, "outputTokens": 212, "costUsd": 0.0087, "model": "demo-model"}},
          {"progress": {"percent": 100, "text": "looked around"}},
          {"sleep": 1200},
          {"phase": {"name": "Check with you", "total": 3}},
          {"say": "This is a small service with a parser in `src/` and tests in `tests/`. Its README links to its docs; fetching them goes over the network, so Overseer's safety gate asks you first (ORANGE)."},
          {"sleep": 500},
          {"tool": {"name": "Bash", "input": {"command": "curl https://example.com", "description": "Fetch the project's docs"}, "output": "<html><title>Example Domain</title>...</html>"}},
          {"progress": {"step": 1, "steps": 2, "text": "the docs fetched"}},
          {"sleep": 500},
          {"ask": {"question": "Which part should I focus on first?", "header": "Focus", "options": [
            {"label": "Parser", "description": "Read src/ and explain how input is parsed"},
            {"label": "Tests", "description": "Run the tests and report what fails"}
          ]}},
          {"progress": {"step": 2, "steps": 2, "text": "a direction chosen"}},
          {"sleep": 700},
          {"phase": {"name": "Make a small change", "total": 3}},
          {"think": "Good, I have a direction. A small, safe change will show the flow end to end."},
          {"sleep": 800},
          {"tool": {"name": "Edit", "input": {"file_path": "README.md", "old_string": "A small service", "new_string": "A small, well-tested service"}, "output": "The file README.md has been updated."}},
          {"sleep": 900},
          {"tool": {"name": "Bash", "input": {"command": "git diff --stat"}, "output": " README.md | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)"}},
          {"usage": {"inputTokens": 2310, "outputTokens": 348, "costUsd": 0.0121, "model": "demo-model"}},
          {"progress": {"percent": 100, "text": "README.md edited"}},
          {"sleep": 800},
          {"say": "Done. I looked around, asked before using the network, asked where to focus and made one small edit to `README.md` (all simulated: your files are untouched). Send a follow-up message to continue the conversation."}
        ]
        """;

    public static JsonElement Script { get; } = JsonDocument.Parse(Json).RootElement;

    public static IReadOnlyList<ScriptStep> Steps { get; } = ScriptParser.Parse(Script);
}
