import { Area, CheckResult } from "./report";

// A check is a name and a function that compares one thing; the runner bounds it and reports it.

export type Verdict = Omit<CheckResult, "area" | "check">;

export interface Check {
    area: Area;
    check: string;
    run(): Promise<Verdict>;
}

export const pass = (detail: string): Verdict => ({ status: "pass", detail });
export const fail = (detail: string, hint: string): Verdict => ({ status: "fail", detail, hint });
export const skip = (detail: string): Verdict => ({ status: "skip", detail });

/** A lazily started, shared fetch: several checks read the node list, one request serves them all. */
export function once<T>(fetch: () => Promise<T>): () => Promise<T> {
    let started: Promise<T> | undefined;
    return () => (started ??= fetch());
}

/** `a, b and c` */
export function listed(items: readonly string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Runs every check concurrently and reports each result in the checks' order, as soon as it and every
 * check before it are done: progress while it runs, and the same order every time. A check still running
 * when the whole run's bound passes is reported as failed, so the run always ends by its deadline.
 */
export async function runChecks(
    checks: readonly Check[],
    deadlineMs: number,
    onResult: (result: CheckResult) => void,
): Promise<CheckResult[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => (timer = setTimeout(() => resolve("deadline"), deadlineMs)));
    const done: (CheckResult | undefined)[] = checks.map(() => undefined);
    let reported = 0;
    await Promise.all(
        checks.map(async (c, index) => {
            const verdict = await Promise.race([
                c
                    .run()
                    .catch((error: Error): Verdict =>
                        fail(`check crashed: ${error.message.split("\n")[0]}`, "a bug in the verify tool: report it with this line"),
                    ),
                deadline.then((): Verdict =>
                    fail(
                        `not finished within the run's bound of ${deadlineMs / 1000} s`,
                        "something answered too slowly: raise --deadline, or look at the checks that failed above",
                    ),
                ),
            ]);
            done[index] = { area: c.area, check: c.check, ...verdict };
            while (reported < done.length && done[reported]) onResult(done[reported++]!);
        }),
    );
    clearTimeout(timer);
    return done as CheckResult[];
}
