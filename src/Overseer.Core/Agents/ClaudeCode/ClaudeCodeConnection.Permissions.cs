using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.ClaudeCode;

// The control protocol: the CLI asks before using a tool; the answer comes from the safety
// gate, or from a person for AskUserQuestion.
internal sealed partial class ClaudeCodeConnection
{
    private async Task AnswerPermissionAsync(PermissionRequestOutput request)
    {
        var token = _stopped.Token;
        try
        {
            if (request.ToolName == "AskUserQuestion" && TryReadQuestions(request.Input, out var questions))
            {
                var answers = await Sink.AskAsync(questions, request.ToolUseId, token);
                await RespondAllowAsync(request.RequestId, WithAnswers(request.Input, answers));
                return;
            }
            if (request.ToolName == "ExitPlanMode")
            {
                // Leaving plan mode is the plan review: approve lets the agent go on; request-changes
                // denies the tool with the feedback, which the agent reads as the reason.
                var plan = request.Input.TryGetProperty("plan", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : request.Input.GetRawText();
                var review = await Sink.RequestReviewAsync(new ReviewRequest("plan", plan, ToolUseId: request.ToolUseId), token);
                if (review.Approved)
                    await RespondAllowAsync(request.RequestId, request.Input);
                else
                    await RespondDenyAsync(request.RequestId, "The plan needs changes: " + review.Feedback);
                return;
            }
            var decision = await Sink.RequestToolAsync(new ToolRequest(request.ToolUseId ?? request.RequestId, request.ToolName, request.Input), token);
            if (decision.Allowed)
                await RespondAllowAsync(request.RequestId, request.Input);
            else
                await RespondDenyAsync(request.RequestId, decision.Reason ?? "Denied by Overseer's safety policy.");
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // The question was withdrawn (the turn was interrupted): the CLI must not wait forever.
            await TryRespondDenyAsync(request.RequestId, "The request was withdrawn.");
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The CLI is answered first (it must not wait forever); the supervisor then records
            // the failure, ends the turn and stops the agent.
            await TryRespondDenyAsync(request.RequestId, "Overseer could not decide: " + ex.Message);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingPermissions);
            Touch();
        }
    }

    private async Task TryRespondDenyAsync(string requestId, string message)
    {
        try
        {
            await RespondDenyAsync(requestId, message);
        }
        catch (AgentGoneException)
        {
        }
    }

    private static bool TryReadQuestions(JsonElement input, out IReadOnlyList<QuestionItem> questions)
    {
        questions = [];
        if (!input.TryGetProperty("questions", out var list) || list.ValueKind != JsonValueKind.Array)
            return false;
        try
        {
            questions = list.Deserialize(OverseerJson.Default.IReadOnlyListQuestionItem) ?? [];
        }
        catch (JsonException)
        {
            return false;
        }
        return questions.Count > 0 && questions.All(q => !string.IsNullOrEmpty(q.Question));
    }

    /// <summary>The tool's input plus <c>answers</c>: question text → the chosen label(s), joined for multi-select.</summary>
    private static JsonElement WithAnswers(JsonElement input, IReadOnlyDictionary<string, JsonElement> answers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in input.EnumerateObject())
            {
                if (property.Name != "answers")
                    property.WriteTo(writer);
            }
            writer.WriteStartObject("answers");
            foreach (var (question, answer) in answers)
            {
                writer.WriteString(question, answer.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", answer.EnumerateArray().Select(a => a.GetString()))
                    : answer.GetString());
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.ToArray()).RootElement;
    }

    private Task RespondAllowAsync(string requestId, JsonElement updatedInput) => RespondAsync(requestId, writer =>
    {
        writer.WriteString("behavior", "allow");
        writer.WritePropertyName("updatedInput");
        updatedInput.WriteTo(writer);
    });

    private Task RespondDenyAsync(string requestId, string message) => RespondAsync(requestId, writer =>
    {
        writer.WriteString("behavior", "deny");
        writer.WriteString("message", message);
    });

    private Task RespondAsync(string requestId, Action<Utf8JsonWriter> body) => WriteLineAsync(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "control_response");
        writer.WriteStartObject("response");
        writer.WriteString("subtype", "success");
        writer.WriteString("request_id", requestId);
        writer.WriteStartObject("response");
        body(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }, CancellationToken.None);

    /// <param name="idIsJson">The id is a JSON token as the CLI wrote it, echoed verbatim (it may not decode).</param>
    private Task RespondErrorAsync(string requestId, string error, bool idIsJson = false) => WriteLineAsync(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "control_response");
        writer.WriteStartObject("response");
        writer.WriteString("subtype", "error");
        if (idIsJson)
        {
            writer.WritePropertyName("request_id");
            writer.WriteRawValue(requestId);
        }
        else
        {
            writer.WriteString("request_id", requestId);
        }
        writer.WriteString("error", error);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }, CancellationToken.None);
}
