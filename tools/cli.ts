import { parseArgs } from "node:util";
import { closest } from "../components/config/suggest";
import { alignCells } from "./table";

// The one command-line layer of plan, docs, bench and verify, on Node's own parser (node:util parseArgs):
// `--flag value` and `--flag=value`, `-h`/`--help` prints the usage and exits 0, and every mistake on the line is
// listed at once (unknown flags with "did you mean", missing values, stray words), exit code 2. parseArgs stops at
// the first unknown flag in strict mode, so it runs lenient here and the tokens it returns are checked instead.
// Pure: no Pulumi, no files.

export interface FlagSpec {
    /** The value's name in the usage (`NAME`, `FILE`); absent for a switch. */
    value?: string;
    /** May be given more than once; the values are kept in order. */
    multiple?: boolean;
    /** What it does, one line, defaults included. */
    help: string;
}

export interface CommandSpec {
    /** `plan`, as in `npm run plan`. */
    name: string;
    /** What the command does. */
    summary: string;
    flags: Readonly<Record<string, FlagSpec>>;
    /** Lines after the options: exit codes, what is written where. */
    notes?: readonly string[];
}

/** The flags of every command that reads a stack (plan, docs, verify): tools/stack-run.ts stackSource reads them. */
export const stackFlags: Readonly<Record<"stack" | "config", FlagSpec>> = {
    stack: { value: "NAME", help: "Read the stack file Pulumi.NAME.yaml beside Pulumi.yaml (default: home)." },
    config: { value: "FILE", help: "Read this stack file instead, at any path (e.g. a copy you are editing)." },
};

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** A command line that cannot run: one line per mistake. The command exits 2. */
export class UsageError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(problems.join("\n"));
        this.name = "UsageError";
    }
}

const helpFlag: FlagSpec = { help: "Print this help and exit." };

export function usageText(command: CommandSpec): string {
    const flags: [string, FlagSpec][] = [...Object.entries(command.flags), ["help", helpFlag]];
    const left = flags.map(([name, flag]) => `${name === "help" ? "-h, " : ""}--${name}${flag.value ? ` ${flag.value}` : ""}`);
    const width = Math.max(...left.map((l) => l.length)) + 2;
    return [
        `Usage: npm run ${command.name} -- [options]`,
        "",
        command.summary,
        "",
        "Options:",
        ...flags.map(([, flag], i) => `  ${alignCells([left[i], `${flag.help}${flag.multiple ? " Repeatable." : ""}`], [width]).join("")}`),
        ...(command.notes?.length ? ["", ...command.notes] : []),
    ].join("\n");
}

/**
 * The flags' values, or `help` when -h/--help is on the line (whatever else is). Throws a {@link UsageError} listing
 * every unknown flag, missing or stray value and extra word.
 */
export function parseCommandLine(command: CommandSpec, argv: readonly string[]): { help: boolean; values: FlagValues } {
    const options = Object.fromEntries([
        ...Object.entries(command.flags).map(([name, flag]) => [
            name,
            { type: flag.value ? ("string" as const) : ("boolean" as const), multiple: flag.multiple ?? false },
        ]),
        ["help", { type: "boolean" as const, short: "h" }],
    ]);
    // Each problem with its place on the line, so they are listed in the order they were typed.
    const found: [number, string][] = [];
    // `--stack --json`: parseArgs would make "--json" the stack's name. Such a flag has no value; the next one is read.
    const kept: number[] = [];
    argv.forEach((arg, i) => {
        const flag = /^--([^=]+)$/.exec(arg)?.[1];
        const next = argv[i + 1];
        if (!flag || !command.flags[flag]?.value || (next !== undefined && (!next.startsWith("-") || /^-\d/.test(next)))) kept.push(i);
        else found.push([i, `--${flag} needs a value: --${flag} ${command.flags[flag].value}`]);
    });
    const { values, tokens } = parseArgs({ args: kept.map((i) => argv[i]), options, strict: false, allowPositionals: true, tokens: true });
    if (values.help === true) return { help: true, values: {} };
    const known = Object.keys(command.flags);
    let afterUnknown = false;
    for (const token of tokens) {
        const at = kept[token.index];
        if (token.kind === "option-terminator") continue;
        if (token.kind === "positional") {
            // `--bogus value`: the value belongs to the unknown flag already reported.
            if (!afterUnknown) found.push([at, `unexpected argument ${JSON.stringify(token.value)}: every option is a --flag`]);
            afterUnknown = false;
            continue;
        }
        afterUnknown = false;
        const flag = command.flags[token.name];
        if (!flag || token.name === "help") {
            const meant = closest(token.name, known);
            found.push([at, `unknown option ${token.rawName}${meant ? `; did you mean --${meant}?` : ""}`]);
            afterUnknown = token.value === undefined;
        } else if (flag.value && token.value === undefined) {
            found.push([at, `--${token.name} needs a value: --${token.name} ${flag.value}`]);
        } else if (!flag.value && token.value !== undefined) {
            found.push([at, `--${token.name} takes no value (it is a switch)`]);
        }
    }
    const problems = found.sort(([a], [b]) => a - b).map(([, problem]) => problem);
    if (problems.length) throw new UsageError(problems);
    return { help: false, values: { ...values } as FlagValues };
}

export interface CommandIo {
    out: (line: string) => void;
    err: (line: string) => void;
}

/**
 * Runs a command: its usage for -h/--help (exit 0), its usage errors (exit 2, one line each and a pointer to
 * --help), and any other failure as one line `homelab <name>: <why>`, exit `failureCode`.
 */
export async function runCommand(
    command: CommandSpec,
    argv: readonly string[],
    run: (values: FlagValues) => Promise<number>,
    io: CommandIo,
    failureCode = 1,
): Promise<number> {
    const usageProblems = (error: UsageError) => {
        for (const problem of error.problems) io.err(`homelab ${command.name}: ${problem}`);
        io.err(`Run \`npm run ${command.name} -- --help\` for the options.`);
        return 2;
    };
    let parsed: ReturnType<typeof parseCommandLine>;
    try {
        parsed = parseCommandLine(command, argv);
    } catch (error) {
        if (error instanceof UsageError) return usageProblems(error);
        throw error;
    }
    if (parsed.help) {
        io.out(usageText(command));
        return 0;
    }
    try {
        return await run(parsed.values);
    } catch (error) {
        if (error instanceof UsageError) return usageProblems(error);
        // The config's problems are a report of their own (components/config problemReport), one per line: the tools'
        // ConfigError, or the program's run of it under the offline engine.
        if (error instanceof Error && error.name === "ConfigError") io.err(error.message);
        else io.err(`homelab ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
        return failureCode;
    }
}

/** The entry of `npm run <name>`: runs main and exits with its code. */
export function exitWith(main: Promise<number>): void {
    main.then(
        (code) => process.exit(code),
        (error) => {
            console.error(error instanceof Error ? (error.stack ?? error.message) : error);
            process.exit(1);
        },
    );
}

/** A flag's text value (a repeated flag's last), or undefined. */
export function textFlag(values: FlagValues, name: string): string | undefined {
    const value = values[name];
    return Array.isArray(value) ? value.at(-1) : typeof value === "string" ? value : undefined;
}

/** A whole number flag within bounds, or a usage problem. */
export function countFlag(values: FlagValues, name: string, fallback: number, min: number, max: number): number {
    const text = textFlag(values, name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
        throw new UsageError([`--${name}: ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`]);
    return n;
}
