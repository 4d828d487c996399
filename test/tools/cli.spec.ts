import { strict as assert } from "assert";
import { CommandSpec, countFlag, parseCommandLine, runCommand, UsageError, usageText } from "../../tools/cli";
import { main as bench, spreadOf, spreadText } from "../../tools/bench";
import { main as docs } from "../../tools/docs";

// The one command-line layer of plan, docs, bench and verify (tools/cli.ts), and the two commands whose runs are too
// long or too wide for a test of their own line: bench and docs.

const demo: CommandSpec = {
    name: "demo",
    summary: "Does a demo.",
    flags: {
        stack: { value: "NAME", help: "The stack." },
        json: { help: "JSON out." },
        resolver: { value: "N=H:P", multiple: true, help: "A resolver." },
    },
    notes: ["Exit codes: 0 fine."],
};

async function call(command: (argv: string[], out: (l: string) => void, err: (l: string) => void) => Promise<number>, argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await command(
        argv,
        (l) => out.push(l),
        (l) => err.push(l),
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("the command-line layer", () => {
    it("reads --flag value, --flag=value, switches and repeated flags", () => {
        assert.deepEqual(parseCommandLine(demo, ["--stack=lab", "--json", "--resolver", "a=b:1", "--resolver=c=d:2"]), {
            help: false,
            values: { stack: "lab", json: true, resolver: ["a=b:1", "c=d:2"] },
        });
    });

    it("lists every mistake: unknown options with a suggestion, missing and stray values, extra words", () => {
        assert.throws(
            () => parseCommandLine(demo, ["--stak", "x", "--json=yes", "extra", "--stack", "--resolver"]),
            (error: UsageError) => {
                assert.deepEqual(error.problems, [
                    "unknown option --stak; did you mean --stack?",
                    "--json takes no value (it is a switch)",
                    'unexpected argument "extra": every option is a --flag',
                    "--stack needs a value: --stack NAME",
                    "--resolver needs a value: --resolver N=H:P",
                ]);
                return true;
            },
        );
    });

    it("prints the usage, the flags aligned, -h and --help last", () => {
        assert.equal(
            usageText(demo),
            [
                "Usage: npm run demo -- [options]",
                "",
                "Does a demo.",
                "",
                "Options:",
                "  --stack NAME      The stack.",
                "  --json            JSON out.",
                "  --resolver N=H:P  A resolver. Repeatable.",
                "  -h, --help        Print this help and exit.",
                "",
                "Exit codes: 0 fine.",
            ].join("\n"),
        );
    });

    it("exits 0 for help, 2 for a wrong line or value, the command's failure code for anything else", async () => {
        const io = () => {
            const lines: string[] = [];
            return { lines, io: { out: (l: string) => lines.push(`out: ${l}`), err: (l: string) => lines.push(`err: ${l}`) } };
        };
        const help = io();
        assert.equal(await runCommand(demo, ["-h"], async () => assert.fail("not run"), help.io), 0);
        assert.equal(help.lines[0].split("\n")[0], "out: Usage: npm run demo -- [options]");
        const wrong = io();
        assert.equal(
            await runCommand(
                demo,
                [],
                async (values) => countFlag(values, "runs", 5, 1, 50) + countFlag({ runs: "0" }, "runs", 5, 1, 50),
                wrong.io,
            ),
            2,
        );
        assert.deepEqual(wrong.lines, [
            'err: homelab demo: --runs: "0" is not a whole number from 1 to 50',
            "err: Run `npm run demo -- --help` for the options.",
        ]);
        const failed = io();
        assert.equal(
            await runCommand(
                demo,
                [],
                async () => {
                    throw new Error("no cluster");
                },
                failed.io,
                2,
            ),
            2,
        );
        assert.deepEqual(failed.lines, ["err: homelab demo: no cluster"]);
    });
});

describe("npm run bench and npm run docs: their command lines", () => {
    it("print their usage for --help, exit 0", async () => {
        const b = await call(bench, ["--help"]);
        assert.equal(b.code, 0);
        assert.match(
            b.out,
            /^Usage: npm run bench -- \[options\]\n[\s\S]*\n {2}--runs N +Samples of each in-process figure \(default 5\)\.\n/,
        );
        const d = await call(docs, ["-h"]);
        assert.equal(d.code, 0);
        assert.match(d.out, /^Usage: npm run docs -- \[options\]\n[\s\S]*\n {2}--out-dir DIR +Write network\.md and graph\.svg here/);
    });

    it("refuse a wrong line before measuring or writing anything, exit 2", async () => {
        const b = await call(bench, ["--runs", "0", "--quick"]);
        assert.equal(b.code, 2);
        assert.deepEqual(b.err.split("\n"), ["homelab bench: unknown option --quick", "Run `npm run bench -- --help` for the options."]);
        const runs = await call(bench, ["--runs", "0"]);
        assert.deepEqual(runs.err.split("\n")[0], 'homelab bench: --runs: "0" is not a whole number from 1 to 50');
        const d = await call(docs, ["--readme", "README.md"]);
        assert.equal(d.code, 2);
        assert.equal(d.err.split("\n")[0], "homelab docs: unknown option --readme");
    });

    it("report each figure as its median with the spread", () => {
        assert.deepEqual(spreadOf([30, 10, 20]), { min: 10, median: 20, max: 30, n: 3 });
        assert.deepEqual(spreadOf([4, 1, 3, 2]), { min: 1, median: 3, max: 4, n: 4 });
        assert.equal(spreadText(spreadOf([1274.4, 1201.2, 1390.9])), "1274 ms (1201-1391, 3 runs)");
        assert.equal(spreadText(spreadOf([2.918]), "x wall", 2), "2.92x wall (2.92-2.92, 1 run)");
    });
});
