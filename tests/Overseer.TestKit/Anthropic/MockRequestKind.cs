namespace Overseer.TestKit.Anthropic;

public enum MockRequestKind
{
    /// <summary>A turn of the agent's conversation: served from the reply queue.</summary>
    Conversation,

    /// <summary>A helper call the CLI makes on the side (session title, quota check): answered without touching the queue.</summary>
    Side,

    /// <summary><c>POST /v1/messages/count_tokens</c>.</summary>
    CountTokens,

    /// <summary><c>GET /v1/models</c>: the models the mock lists (<see cref="MockAnthropicServer.Models"/>).</summary>
    Models,

    /// <summary>Anything else (the CLI's <c>HEAD /</c> connection warm-up, unknown paths).</summary>
    Other,
}
