using Overseer.Notifications;

namespace Overseer.Tests.Notifications;

public sealed class ChannelPreferencesTests
{
    [Theory]
    [InlineData("2026-11-30T23:30:00Z", "2026-12-01T07:00:00Z")] // inside, before midnight
    [InlineData("2026-12-01T03:00:00Z", "2026-12-01T07:00:00Z")] // inside, after midnight
    [InlineData("2026-12-01T07:00:00Z", null)]                    // the end is outside
    [InlineData("2026-11-30T12:00:00Z", null)]
    public void QuietHours_AcrossMidnight_NotificationsWaitUntilTheyEnd(string now, string? until)
    {
        var quiet = new QuietHours("22:00", "07:00");
        quiet.EndsAfter(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(until is null ? null : DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void QuietHours_InATimeZone_EndAtLocalTime()
    {
        // 22:30 in Berlin (UTC+1 in winter) is 21:30 UTC; quiet until 07:00 Berlin = 06:00 UTC.
        var quiet = new QuietHours("22:00", "07:00", "Europe/Berlin");
        quiet.EndsAfter(new DateTimeOffset(2026, 11, 30, 21, 30, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Wants_FiltersByKindProjectAndTier()
    {
        var preferences = new ChannelPreferences(["approval", "question"], ["p_1"], "RED");
        preferences.Wants("approval", "p_1", "RED").ShouldBeTrue();
        preferences.Wants("approval", "p_1", "ORANGE").ShouldBeFalse();
        preferences.Wants("question", "p_1", null).ShouldBeTrue();
        preferences.Wants("question", "p_2", null).ShouldBeFalse();
        preferences.Wants("session_failed", "p_1", null).ShouldBeFalse();
        new ChannelPreferences().Wants("session_completed", null, null).ShouldBeTrue();
    }
}
