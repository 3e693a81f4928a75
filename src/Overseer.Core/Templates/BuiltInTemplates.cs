namespace Overseer.Core.Templates;

/// <summary>
/// The templates every Overseer has: the recurring jobs teams hand an agent most. Their ids are
/// stable (<c>builtin-…</c>) so scripts and schedules can name them.
/// </summary>
public static class BuiltInTemplates
{
    public const string IdPrefix = "builtin-";

    public static IReadOnlyList<BuiltInTemplate> All { get; } =
    [
        new(IdPrefix + "review-change", "Review a change", "Review the changes on a branch against its base and report problems by severity.", "review",
            """
            Review the changes on branch {{branch}} compared with {{base}}. Read every changed file in full, not only the diff.
            Report, most serious first: bugs and behaviour changes, security problems, missing or weak tests, and anything hard to maintain.
            For each finding give the file and line, why it matters and a concrete fix. Do not change any files.
            {{focus}}
            """,
            """
            {"type":"object","properties":{
              "branch":{"type":"string","minLength":1,"description":"the branch to review"},
              "base":{"type":"string","minLength":1,"default":"main","description":"the branch it will merge into"},
              "focus":{"type":"string","default":"","description":"anything to look at especially"}},
             "required":["branch"]}
            """),
        new(IdPrefix + "fix-failing-test", "Fix a failing test", "Find why a test fails and fix the code (not the test), proving it with the test run.", "bugfix",
            """
            The test {{test}} fails. Run it with `{{command}}` and read the failure. Find the root cause in the code under test and fix it there;
            change the test only if it is itself wrong, and say why. Run the test again, then the tests around it, and show that they pass.
            """,
            """
            {"type":"object","properties":{
              "test":{"type":"string","minLength":1,"description":"the failing test's name"},
              "command":{"type":"string","minLength":1,"description":"the command that runs it"}},
             "required":["test","command"]}
            """, Isolation: "worktree"),
        new(IdPrefix + "write-tests", "Write tests for a file", "Add tests that pin down the behaviour of one file, in the project's existing test style.", "testing",
            """
            Write tests for {{file}}. First read the file and the tests that already exist for it, and follow their framework and style.
            Cover the behaviour a caller relies on, edge cases and error paths; each test should fail if that behaviour broke.
            Run the tests and make sure they pass. Do not change {{file}} itself unless a test reveals a bug: then stop and describe it.
            """,
            """
            {"type":"object","properties":{"file":{"type":"string","minLength":1,"description":"the file to test"}},"required":["file"]}
            """, Isolation: "worktree"),
        new(IdPrefix + "update-docs", "Update the docs", "Bring documentation in line with what the code does now.", "docs",
            """
            Bring the documentation under {{docs}} up to date with the code. Check every command, option, setting and example against the source
            and fix what is wrong or missing; remove what no longer exists. Keep the existing tone and structure. List what you changed and why.
            """,
            """
            {"type":"object","properties":{"docs":{"type":"string","minLength":1,"default":"docs/","description":"the documentation folder or file"}}}
            """, Isolation: "worktree"),
        new(IdPrefix + "upgrade-dependency", "Upgrade a dependency", "Upgrade one dependency, adapt the code to its changes and keep the build and tests green.", "ops",
            """
            Upgrade {{package}} to {{version}}. Read its release notes or changelog for breaking changes between the current version and {{version}}.
            Update the manifest and lock files, adapt the code to the changes, then build and run the tests until they pass.
            Summarise what changed in the dependency and what you changed because of it.
            """,
            """
            {"type":"object","properties":{
              "package":{"type":"string","minLength":1,"description":"the dependency's name"},
              "version":{"type":"string","minLength":1,"default":"the latest version","description":"the version to upgrade to"}},
             "required":["package"]}
            """, Isolation: "worktree"),
        new(IdPrefix + "explain-codebase", "Explain a codebase", "A guided tour of a repository for someone new to it.", "explain",
            """
            Explain this codebase to a developer who is new to it{{area}}. Cover what it does, how it is laid out, the main data flow from input to output,
            the key types and where they live, how to build, run and test it, and the parts that are surprising or fragile. Do not change any files.
            """,
            """
            {"type":"object","properties":{"area":{"type":"string","default":"","description":"a part to focus on, e.g. ', focusing on the storage layer'"}}}
            """),
    ];

    public static BuiltInTemplate? Find(string id) => All.FirstOrDefault(t => t.Id == id);
}
