using Overseer.Contracts.Events;
using Overseer.Core.Sessions;

namespace Overseer.Core.Tests;

public sealed class TextPreviewTests
{
    [Fact]
    public void Of_TextWithinTheLimit_IsWholeWithNoBlob()
    {
        var preview = TextPreview.Of(new string('a', 1024), 1024);

        preview.Text.Length.ShouldBe(1024);
        (preview.Blob, preview.Truncated, preview.FullLength, preview.BlobId).ShouldBe((null, null, null, null));
    }

    [Fact]
    public void Of_LongerText_IsItsHeadWithTheWholeTextAsABlobNamedByItsHash()
    {
        var text = new string('a', 1024) + "rest";

        var preview = TextPreview.Of(text, 1024);

        preview.Text.ShouldBe(text[..1024]);
        preview.Truncated.ShouldBe(true);
        preview.FullLength.ShouldBe(text.Length);
        preview.Blob.ShouldBe(new NewBlob(NewBlob.IdOf(text), text));
        preview.BlobId!.Length.ShouldBe(64);
    }

    [Fact]
    public void Of_CutThroughASurrogatePair_EndsBeforeIt()
    {
        var text = new string('a', 1023) + "😀" + "after";

        var preview = TextPreview.Of(text, 1024);

        preview.Text.ShouldBe(new string('a', 1023));
        preview.Blob!.Text.ShouldBe(text);
    }
}
