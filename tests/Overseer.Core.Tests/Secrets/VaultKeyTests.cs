using Overseer.Core.Secrets;

namespace Overseer.Core.Tests.Secrets;

public sealed class VaultKeyTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Generate_ToBase64_RoundTripsWithSameKeyId()
    {
        var key = VaultKey.Generate();

        var again = VaultKey.FromBase64(key.ToBase64());

        again.KeyId.ShouldBe(key.KeyId);
        again.ToBase64().ShouldBe(key.ToBase64());
        Convert.FromBase64String(key.ToBase64()).Length.ShouldBe(32);
        key.KeyId.Length.ShouldBe(8);
        VaultKey.Generate().KeyId.ShouldNotBe(key.KeyId);
    }

    [Fact]
    public void ToString_DoesNotRevealKey()
    {
        var key = VaultKey.Generate();

        key.ToString().ShouldNotContain(key.ToBase64());
        key.ToString().ShouldContain(key.KeyId);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("not base64!!", "not valid base64")]
    [InlineData("AAAA", "decodes to 3 bytes")]
    public void FromBase64_Malformed_ThrowsNamingProblem(string value, string problem)
    {
        Should.Throw<VaultKeyException>(() => VaultKey.FromBase64(value)).Message.ShouldContain(problem);
    }

    [Fact]
    public void FromBase64_64Bytes_RejectedAsWrongLength()
    {
        var value = Convert.ToBase64String(new byte[64]);

        Should.Throw<VaultKeyException>(() => VaultKey.FromBase64(value)).Message.ShouldContain("exactly 32 bytes");
    }

    [Fact]
    public void LoadOrCreate_NoFile_CreatesOwnerOnlyFileAndReusesIt()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");

        var first = VaultKey.LoadOrCreate(data, NoEnvironment);
        var second = VaultKey.LoadOrCreate(data, NoEnvironment);

        var file = Path.Combine(data, "vault.key");
        File.ReadAllText(file).Trim().ShouldBe(first.ToBase64());
        second.KeyId.ShouldBe(first.KeyId);
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(data).ShouldBe([file]);
    }

    [Fact]
    public void LoadOrCreate_EnvironmentVariableSet_WinsAndCreatesNoFile()
    {
        using var dir = new TempDirectory();
        var fileKey = VaultKey.LoadOrCreate(dir.Path, NoEnvironment);
        var envKey = VaultKey.Generate();

        var loaded = VaultKey.LoadOrCreate(dir.Path, name => name == "OVERSEER_VAULT_KEY" ? envKey.ToBase64() : null);

        loaded.KeyId.ShouldBe(envKey.KeyId);
        loaded.KeyId.ShouldNotBe(fileKey.KeyId);
    }

    [Fact]
    public void LoadOrCreate_EnvironmentVariableOnly_DoesNotWriteKeyFile()
    {
        using var dir = new TempDirectory();
        var envKey = VaultKey.Generate();

        VaultKey.LoadOrCreate(dir.Path, _ => envKey.ToBase64()).KeyId.ShouldBe(envKey.KeyId);

        File.Exists(Path.Combine(dir.Path, "vault.key")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    [InlineData("%%%")]
    public void LoadOrCreate_EnvironmentVariableMalformed_ThrowsNamingVariable(string value)
    {
        using var dir = new TempDirectory();

        var error = Should.Throw<VaultKeyException>(() => VaultKey.LoadOrCreate(dir.Path, _ => value));

        error.Message.ShouldContain("OVERSEER_VAULT_KEY");
    }

    [Fact]
    public void LoadOrCreate_FileReadableByOthers_IsRefused()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var dir = new TempDirectory();
        VaultKey.LoadOrCreate(dir.Path, NoEnvironment);
        var file = Path.Combine(dir.Path, "vault.key");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Should.Throw<VaultKeyException>(() => VaultKey.LoadOrCreate(dir.Path, NoEnvironment));

        error.Message.ShouldContain("644");
        error.Message.ShouldContain("chmod 600");
    }

    [Fact]
    public void LoadOrCreate_FileMalformed_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "vault.key");
        VaultKey.Generate().WriteTo(file);
        File.WriteAllText(file, "definitely not a key");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Should.Throw<VaultKeyException>(() => VaultKey.LoadOrCreate(dir.Path, NoEnvironment));

        error.Message.ShouldContain(file);
    }

    [Fact]
    public void WriteTo_ExistingFile_ReplacedWithOwnerOnlyFileAndNoTempLeft()
    {
        using var dir = new TempDirectory();
        var old = VaultKey.LoadOrCreate(dir.Path, NoEnvironment);
        var rotated = VaultKey.Generate();

        rotated.WriteTo(Path.Combine(dir.Path, "vault.key"));

        VaultKey.LoadOrCreate(dir.Path, NoEnvironment).KeyId.ShouldBe(rotated.KeyId);
        rotated.KeyId.ShouldNotBe(old.KeyId);
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).ShouldBe(["vault.key"]);
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(Path.Combine(dir.Path, "vault.key")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
