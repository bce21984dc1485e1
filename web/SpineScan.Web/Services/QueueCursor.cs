namespace SpineScan.Web.Services;

/// <summary>
/// Where the clinician is in the review queue, for next and previous on the screening page: the query the queue page
/// last showed and the ids walked so far in its order. One per circuit (a scoped service), so each browser tab steps
/// through its own queue. The walk keeps a screening that left the filter since (it was reviewed) in its place, and
/// past the end of what it holds it reads the queue again and takes the first screening it has not met: reviewing
/// moves the rest of the queue up, so the next page alone would skip some.
/// </summary>
public sealed class QueueCursor(ScreeningService screenings)
{
    private QueueQuery? _query;
    private List<long> _walk = [];
    private int _firstPage;
    private int _lastPage;

    /// <summary>Remembers the page the queue shows.</summary>
    public void Showing(QueueQuery query, IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ids);
        _query = query;
        _walk = [.. ids];
        _firstPage = _lastPage = Math.Max(0, query.Page);
    }

    /// <summary>The screenings before and after <paramref name="id"/> in the queue's order; <c>InQueue</c> false when it was not opened from the queue.</summary>
    public async Task<(long? Previous, long? Next, bool InQueue)> AroundAsync(ClinicianScope scope, long id, CancellationToken ct)
    {
        if (_query is not { } query || !_walk.Contains(id))
        {
            return (null, null, false);
        }

        if (_walk[^1] == id)
        {
            var fresh = (await screenings.PageIdsAsync(scope, query with { Page = _lastPage }, ct).ConfigureAwait(false))
                .Concat(await screenings.PageIdsAsync(scope, query with { Page = _lastPage + 1 }, ct).ConfigureAwait(false));
            var unseen = fresh.Where(x => !_walk.Contains(x)).ToList();
            if (unseen.Count > 0)
            {
                _walk.AddRange(unseen);
                _lastPage++;
            }
        }

        if (_walk[0] == id && _firstPage > 0)
        {
            _firstPage--;
            var before = (await screenings.PageIdsAsync(scope, query with { Page = _firstPage }, ct).ConfigureAwait(false)).Where(x => !_walk.Contains(x));
            _walk.InsertRange(0, before);
        }

        var at = _walk.IndexOf(id);
        return (at > 0 ? _walk[at - 1] : null, at < _walk.Count - 1 ? _walk[at + 1] : null, true);
    }
}
