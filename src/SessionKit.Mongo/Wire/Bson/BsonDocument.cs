using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SessionKit.Mongo.Wire.Bson;

/// <summary>
/// An ordered BSON document. Order matters on the wire (a command's name must be its first key), so elements are
/// kept in insertion order; lookups are linear, which is fine for the small documents a session store exchanges.
/// </summary>
internal sealed class BsonDocument : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _elements = [];

    public int Count => _elements.Count;

    public IReadOnlyList<KeyValuePair<string, object?>> Elements => _elements;

    /// <summary>Gets the value of <paramref name="name"/> (null when absent), or sets it in place / appends it.</summary>
    public object? this[string name]
    {
        get => TryGetValue(name, out var value) ? value : null;
        set => Set(name, value);
    }

    /// <summary>Appends an element (collection-initializer and fluent form). Duplicate names are kept as on the wire.</summary>
    public BsonDocument Add(string name, object? value)
    {
        _elements.Add(new(name, value));
        return this;
    }

    /// <summary>Replaces the first element named <paramref name="name"/>, or appends it.</summary>
    public BsonDocument Set(string name, object? value)
    {
        for (var i = 0; i < _elements.Count; i++)
        {
            if (string.Equals(_elements[i].Key, name, StringComparison.Ordinal))
            {
                _elements[i] = new(name, value);
                return this;
            }
        }

        return Add(name, value);
    }

    public bool Remove(string name) => _elements.RemoveAll(e => string.Equals(e.Key, name, StringComparison.Ordinal)) > 0;

    public bool Contains(string name) => TryGetValue(name, out _);

    public bool TryGetValue(string name, out object? value)
    {
        foreach (var element in _elements)
        {
            if (string.Equals(element.Key, name, StringComparison.Ordinal))
            {
                value = element.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Reads a numeric field whatever its BSON number type (servers answer <c>ok: 1.0</c>, <c>n: 1</c> or <c>n: 1L</c>).</summary>
    public bool TryGetNumber(string name, out double value)
    {
        switch (this[name])
        {
            case int i: value = i; return true;
            case long l: value = l; return true;
            case double d: value = d; return true;
            case bool b: value = b ? 1 : 0; return true;
            default: value = 0; return false;
        }
    }

    public long GetInt64(string name, long fallback = 0) => TryGetNumber(name, out var v) ? (long)v : fallback;

    public string? GetString(string name) => this[name] as string;

    public BsonDocument? GetDocument(string name) => this[name] as BsonDocument;

    public BsonArray? GetArray(string name) => this[name] as BsonArray;

    public bool TryGetDocument(string name, [NotNullWhen(true)] out BsonDocument? document)
    {
        document = this[name] as BsonDocument;
        return document is not null;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
