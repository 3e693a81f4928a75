using System.CommandLine;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary>The <c>--retry*</c> options of the commands that start sessions (run, template run, schedule add).</summary>
internal sealed class RetryOptions
{
    private readonly Option<int?> _attempts = new("--retry") { Description = "Try a session that fails again, up to N attempts in all (the first counts)" };
    private readonly Option<int?> _delay = new("--retry-delay") { Description = "Seconds before the second attempt (default 60); each later wait is multiplied" };
    private readonly Option<int?> _maxDelay = new("--retry-max-delay") { Description = "The longest wait between attempts, in seconds (default 3600)" };
    private readonly Option<double?> _multiplier = new("--retry-multiplier") { Description = "How much longer each wait is than the one before (default 2)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_attempts);
        command.Options.Add(_delay);
        command.Options.Add(_maxDelay);
        command.Options.Add(_multiplier);
    }

    /// <summary>The policy the options give, or null without <c>--retry</c>; the server checks the numbers.</summary>
    public RetryPolicyDto? From(ParseResult parse)
    {
        if (parse.GetValue(_attempts) is not { } attempts)
        {
            if (parse.GetValue(_delay) is not null || parse.GetValue(_maxDelay) is not null || parse.GetValue(_multiplier) is not null)
                throw new CliException(ExitCodes.Usage, "--retry-delay, --retry-max-delay and --retry-multiplier need --retry N");
            return null;
        }
        var defaults = new RetryPolicyDto(attempts);
        return new RetryPolicyDto(attempts, parse.GetValue(_delay) ?? defaults.InitialDelaySeconds, parse.GetValue(_maxDelay) ?? defaults.MaxDelaySeconds,
            parse.GetValue(_multiplier) ?? defaults.Multiplier);
    }
}
