// A server that echoes a request back (an error page quoting the Authorization header, a JSON error
// quoting a form field) may return a secret in any of the encodings the request or its answer went
// through. Redaction therefore matches each secret in every such spelling, character by character,
// so mixed spellings are caught too (Go's encoding/json escapes only `<`, `>` and `&`; .NET's also
// `'`, `+` and `"` as \u0022; a form field turns a space into `+`).

/** The spellings one UTF-16 code unit may take in an echo, as a regex alternative. */
function unitSpellings(unit: number): string[] {
    const char = String.fromCharCode(unit);
    const hex4 = unit.toString(16).padStart(4, "0");
    const spellings = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), `\\\\u${hex4}`, `&#0*${unit};`, `&#x0*${unit.toString(16)};`];
    const shortJson: Record<string, string> = {
        '"': '\\\\"',
        "\\": "\\\\\\\\",
        "/": "\\\\/",
        "\b": "\\\\b",
        "\f": "\\\\f",
        "\n": "\\\\n",
        "\r": "\\\\r",
        "\t": "\\\\t",
    };
    if (shortJson[char]) spellings.push(shortJson[char]);
    const html: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };
    if (html[char]) spellings.push(html[char]);
    if (char === " ") spellings.push("\\+");
    return spellings;
}

/** The spellings of one character (a code point), including its percent-encoded UTF-8 bytes. */
function charPattern(char: string): string {
    const units = [...Array(char.length).keys()].map((i) => char.charCodeAt(i));
    const perUnit = units.map((u) => `(?:${unitSpellings(u).join("|")})`).join("");
    const percent = [...Buffer.from(char, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
    return `(?:${perUnit}|${percent})`;
}

/**
 * A pattern that finds `secret` raw, JSON-escaped (short or \uXXXX escapes), percent-encoded (any
 * hex case, `+` for a space) or HTML-escaped, in any mix; case-insensitive, so hex digits of any
 * case match. For example the secret `a"b` also matches `a\"b`, `a\u0022b`, `a%22b` and `a&quot;b`.
 */
export function secretPattern(secret: string): RegExp {
    return new RegExp([...secret].map(charPattern).join(""), "gi");
}

/**
 * The forms a password takes on the wire with HTTP basic auth: the password itself, and the base64
 * of `user:password` (the header) and of the password alone, in standard and URL-safe alphabets.
 */
export function basicAuthSecrets(username: string, password: string): string[] {
    const forms = [Buffer.from(`${username}:${password}`), Buffer.from(password)].flatMap((raw) => {
        const standard = raw.toString("base64");
        return [standard, standard.replace(/=+$/, ""), raw.toString("base64url")];
    });
    return [password, ...new Set(forms)];
}

/** Replaces every spelling of every secret in a message with "***"; longer secrets go first. */
export function redact(message: string, secrets: readonly string[]): string {
    return [...secrets]
        .filter((s) => s.length > 0)
        .sort((a, b) => b.length - a.length)
        .reduce((text, secret) => text.replace(secretPattern(secret), "***"), message);
}

/**
 * A server's text made safe to quote: redacted first, then cut to `max` characters, so a cut can
 * never leave the start of a secret behind.
 */
export function quote(text: string, secrets: readonly string[], max: number): string {
    const clean = redact(text.trim(), secrets);
    return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
