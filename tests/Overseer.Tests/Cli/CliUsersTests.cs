using System.Text.Json;
using Overseer.Contracts;
using Overseer.Storage;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliUsersTests(CliFixture fixture)
{
    [Fact]
    public async Task User_AddListPasswdFromStdinRemove_RoundTrip()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..6];
        var add = await fixture.Cli.RunAsync("user", "add", name, "--role", "operator");
        add.ExitCode.ShouldBe(0, add.ToString());
        var id = add.Stdout.Trim();
        id.ShouldStartWith("u_");

        var table = await fixture.Cli.RunAsync("user", "ls");
        table.Stdout.ShouldContain(name);
        var json = await fixture.Cli.RunAsync("user", "ls", "--json");
        JsonSerializer.Deserialize(json.Stdout, OverseerJson.Default.ListResponseUserDto)!.Items.ShouldContain(u => u.Id == id && u.Role == "operator" && !u.HasPassword);

        // Piped: one line on stdin, never an argument.
        const string password = "a long enough passphrase";
        var passwd = await fixture.Cli.RunAsync(["user", "passwd", name], stdin: password + "\n");
        passwd.ExitCode.ShouldBe(0, passwd.ToString());
        passwd.ToString().ShouldNotContain(password);
        (await fixture.Server.Service<IUserStore>().FindAsync(id))!.PasswordHash.ShouldNotBeNull();

        var tooShort = await fixture.Cli.RunAsync(["user", "passwd", name], stdin: "short\n");
        tooShort.ExitCode.ShouldBe(1, tooShort.ToString());
        tooShort.Stderr.ShouldContain("PASSWORD_TOO_SHORT");

        (await fixture.Cli.RunAsync("user", "rm", name)).ExitCode.ShouldBe(0);
        var gone = await fixture.Cli.RunAsync("user", "rm", name);
        gone.ExitCode.ShouldBe(4, gone.ToString());
    }

    [Fact]
    public async Task Member_AddListRemove_RoundTrip()
    {
        var name = "mem-" + Guid.NewGuid().ToString("N")[..6];
        (await fixture.Cli.RunAsync("user", "add", name, "--role", "operator")).ExitCode.ShouldBe(0);
        var project = (await fixture.Cli.RunAsync("projects", "add", fixture.NewProjectDir())).Stdout.Trim();

        var add = await fixture.Cli.RunAsync("member", "add", project, name, "--role", "operator");
        add.ExitCode.ShouldBe(0, add.ToString());
        var ls = await fixture.Cli.RunAsync("member", "ls", project, "--json");
        JsonSerializer.Deserialize(ls.Stdout, OverseerJson.Default.ListResponseMemberDto)!.Items.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            m => m.Name.ShouldBe(name), m => m.Role.ShouldBe("operator"));
        (await fixture.Cli.RunAsync("member", "ls", project)).Stdout.ShouldContain(name);

        var badRole = await fixture.Cli.RunAsync("member", "add", project, name, "--role", "owner");
        badRole.ExitCode.ShouldBe(2, badRole.ToString());

        (await fixture.Cli.RunAsync("member", "rm", project, name)).ExitCode.ShouldBe(0);
        var ls2 = await fixture.Cli.RunAsync("member", "ls", project, "--json");
        JsonSerializer.Deserialize(ls2.Stdout, OverseerJson.Default.ListResponseMemberDto)!.Items.ShouldBeEmpty();
    }
}
