import { buildJudges } from "../../tools/upstream/build";

// One line per object or config an upstream judge judged, and the summary line at the end of the run
// (`upstream: N judged, N accepted, N refused`). The negative tests' deliberate refusals are not counted:
// the tally is the program's.

export interface Judgement {
    judge: "talos" | "helm" | "kubernetes" | "schema" | "cross-object";
    subject: string;
    refusal?: string;
    warnings?: readonly string[];
}

const judgements: Judgement[] = [];

export function record(j: Judgement): Judgement {
    judgements.push(j);
    const head = `${j.refusal ? "REFUSED " : "accepted"} ${j.judge.padEnd(12)} ${j.subject}`;
    console.log(j.refusal ? `${head}\n           ${j.refusal.replace(/\n/g, "\n           ")}` : head);
    for (const w of j.warnings ?? []) console.log(`           warning: ${w}`);
    return j;
}

export function refusals(judge?: Judgement["judge"]): Judgement[] {
    return judgements.filter((j) => j.refusal && (!judge || j.judge === judge));
}

export function summaryLine(): string {
    const refused = judgements.filter((j) => j.refusal).length;
    return `upstream: ${judgements.length} judged, ${judgements.length - refused} accepted, ${refused} refused`;
}

// Root hooks (this file is loaded with mocha --file): build what is missing once, print the tally last.
before(function () {
    this.timeout(60 * 60_000);
    for (const b of buildJudges((line) => console.log(line))) {
        console.log(
            `upstream: ${b.judge} ${b.built ? `built in ${(b.ms / 1000).toFixed(1)} s` : `up to date (checked in ${b.ms.toFixed(0)} ms)`}`,
        );
    }
});

after(() => console.log(`\n${summaryLine()}`));
