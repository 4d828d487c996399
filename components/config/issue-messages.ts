import { z } from "zod";
import type { Problem } from "./problems";
import { closest } from "./suggest";

// Pure: a shape problem zod found, in our words: the value that is wrong, what was expected and the fix, instead of
// zod's "Too small: expected number to be >=1". Every message reads after its key: `homelab:nodes[talos-cp-1].cores:
// 0 is less than 1, the smallest allowed`. Messages the schema words itself (schema.ts: "is not a Proxmox storage
// ID ...") are kept, with the value in front when it is short enough to read.

/** The value as a message shows it: `"150"` for text, `8192` for a number; undefined when too long to print. */
function shown(value: unknown): string | undefined {
    if (typeof value === "string") return value.length <= 64 ? JSON.stringify(value) : undefined;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return undefined;
}

/** What a value is, for "is X, not Y": `the text "150"`, `the number 4`, `a list`, `a map`. */
function kindOf(value: unknown): string {
    if (value === null) return "empty (null)";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a map of keys";
    if (typeof value === "string") return shown(value) ? `the text ${shown(value)}` : "a text";
    return `the ${typeof value} ${String(value)}`;
}

const expectedKinds: Record<string, string> = {
    string: "a text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "a map of keys (key: value)",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** zod's own wording, which we replace; a message the schema gives (lower case, ours) is kept. */
const zodWording = /^(Too small|Too big|Invalid|Unrecognized)/;

function ownMessage(issue: z.core.$ZodIssue): string | undefined {
    if (zodWording.test(issue.message)) return undefined;
    const value = shown(issue.input);
    return value ? `${value} ${issue.message}` : issue.message;
}

function typeProblem(issue: z.core.$ZodIssueInvalidType): { message: string; fix: string } {
    const expected = expectedKinds[issue.expected] ?? `a ${issue.expected}`;
    if (issue.input === undefined)
        return { message: "is missing", fix: `add it: ${expected} (the README's configuration table shows each key)` };
    const unquoted =
        typeof issue.input === "string" &&
        ((issue.expected === "number" && /^-?\d+(\.\d+)?$/.test(issue.input)) ||
            (issue.expected === "boolean" && /^(true|false)$/.test(issue.input)));
    return {
        message: `is ${kindOf(issue.input)}, not ${expected}`,
        fix: unquoted ? `write ${issue.input as string} without quotes` : `give ${expected}`,
    };
}

function sizeProblem(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): { message: string; fix: string } {
    const small = issue.code === "too_small";
    const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
    const own = ownMessage(issue);
    const fix = small ? `give ${limit} or more` : `give ${limit} or less`;
    if (issue.origin === "array" || issue.origin === "set") {
        const count = Array.isArray(issue.input) ? issue.input.length : undefined;
        const has = count === undefined ? "has" : count === 0 ? "has no entries" : `has ${plural(count, "entry", "entries")}`;
        return {
            message:
                own ?? (small ? `${has}; at least ${limit} ${limit === 1 ? "is" : "are"} needed` : `${has}; at most ${limit} are allowed`),
            fix: small ? `add ${limit === 1 ? "one" : `at least ${limit}`}` : `keep at most ${limit}`,
        };
    }
    if (issue.origin === "string") {
        const length = typeof issue.input === "string" ? issue.input.length : 0;
        if (small && limit === 1) return { message: own ?? "is empty", fix: "give a value, or leave the key out where it is optional" };
        return {
            message: own ?? `is ${plural(length, "character")} long; ${small ? `at least ${limit} are` : `at most ${limit} are`} allowed`,
            fix: small ? `give at least ${plural(limit, "character")}` : `shorten it to ${plural(limit, "character")}`,
        };
    }
    const value = shown(issue.input) ?? "it";
    return { message: own ?? `${value} is ${small ? "less" : "more"} than ${limit}, the ${small ? "smallest" : "largest"} allowed`, fix };
}

function stringFormatProblem(issue: z.core.$ZodIssueInvalidStringFormat): { message: string; fix: string } {
    const value = shown(issue.input) ?? "it";
    if (issue.format === "url") {
        const https = issue.pattern === "^https$";
        const scheme = https ? "an https URL" : issue.pattern === "^https?$" ? "an http or https URL" : "a URL";
        return {
            message: `${value} is not ${scheme}`,
            fix: `give a full URL such as ${https ? "https://172.16.1.2:8006" : "https://172.16.1.11"}`,
        };
    }
    if (issue.format === "email") return { message: `${value} is not an email address`, fix: "give an address such as admin@ragas.cc" };
    // A pattern's message says the shape with an example (schema.ts); "a valid regex" would name the check, not the value.
    return {
        message: ownMessage(issue) ?? `${value} is not a valid ${issue.format}`,
        fix: issue.format === "regex" ? "give a value of the shape the message describes" : `give a valid ${issue.format}`,
    };
}

/**
 * The problems of one issue. `keyAt(path)` names a value (`homelab:nodes[talos-cp-1].cores`); `knownKeysAt(path)`
 * lists the keys the object at `path` takes, for "did you mean".
 */
export function issueProblems(
    issue: z.core.$ZodIssue,
    keyAt: (path: readonly PropertyKey[]) => string,
    knownKeysAt: (path: readonly PropertyKey[]) => readonly string[],
): Problem[] {
    const key = keyAt(issue.path);
    switch (issue.code) {
        case "unrecognized_keys": {
            const known = knownKeysAt(issue.path);
            return issue.keys.map((unknown) => {
                const meant = closest(unknown, known);
                return {
                    key: keyAt([...issue.path, unknown]),
                    message: meant ? `is not a known key; did you mean ${meant}?` : "is not a known key",
                    fix: meant ? `rename it to ${meant}` : `remove it: ${key} takes ${known.join(", ")}`,
                };
            });
        }
        case "invalid_type":
            return [{ key, ...typeProblem(issue) }];
        case "too_small":
        case "too_big":
            return [{ key, ...sizeProblem(issue) }];
        case "invalid_format":
            return [{ key, ...stringFormatProblem(issue as z.core.$ZodIssueInvalidStringFormat) }];
        case "invalid_value": {
            const value = shown(issue.input) ?? "it";
            const options = issue.values.map(String);
            return [
                {
                    key,
                    message: `${value} is not one of ${options.join(", ")}`,
                    fix: `use ${options.slice(0, -1).join(", ")}${options.length > 1 ? " or " : ""}${options.at(-1)}`,
                },
            ];
        }
        default:
            return [
                { key, message: ownMessage(issue) ?? "has a value of the wrong shape", fix: "see the configuration table in the README" },
            ];
    }
}

/** The keys the object at `path` inside `schema` takes: for a misspelt key's "did you mean". */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let at: z.ZodType = schema;
    for (let i = 0; i <= path.length; i++) {
        while (at instanceof z.ZodOptional || at instanceof z.ZodDefault || at instanceof z.ZodNullable) at = at.unwrap() as z.ZodType;
        if (i === path.length) break;
        if (at instanceof z.ZodArray) at = at.element as z.ZodType;
        else if (at instanceof z.ZodObject) at = at.shape[String(path[i])] as z.ZodType;
        else if (at instanceof z.ZodRecord) at = at.valueType as z.ZodType;
        if (!at) return [];
    }
    return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}
