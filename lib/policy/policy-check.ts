/**
 * The per-stack half of the policy pack: the aspect records what it visits here, and this
 * construct judges it in a stack validation, which cdktf runs after every aspect and before it
 * writes any file. Judging after the visit (collect, then judge) lets rules span resources
 * (a bucket and its policy, a security group and its rules) and see other aspects' edits.
 */
import { Annotations, ISynthesisSession, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluatePolicy, formatFinding } from "./evaluate";
import { PolicyReport, POLICY_REPORT_FILE, summarizeReport, verboseFromEnvironment } from "./report";
import { readLocals, readStack } from "./read-resources";
import { APP_FLEETS_RULES } from "./rules";
import { PolicySuppressions } from "./suppressions";
import { PolicyResource } from "./types";

export interface PolicyCheckOptions {
  /** Print the stack's summary line when it is written. @default true */
  readonly printReport?: boolean;
  /**
   * Print each suppressed finding with its reason and each unused suppression too (synth output and
   * annotations); the counts are always printed and policy-report.json always lists them.
   * @default - true when APP_FLEETS_VERBOSE=1
   */
  readonly verbose?: boolean;
}

const CHECK_ID = "AppFleetsPolicy";

export class PolicyCheck extends Construct {
  /** The check of a stack, created on first use. */
  static of(stack: TerraformStack, options: PolicyCheckOptions = {}): PolicyCheck {
    const existing = stack.node.tryFindChild(CHECK_ID);
    return existing instanceof PolicyCheck ? existing : new PolicyCheck(stack, options);
  }

  /** The report of the last evaluation; undefined before the stack is synthesized. */
  report?: PolicyReport;
  private readonly stack: TerraformStack;
  private readonly subjects = new Set<IConstruct>();
  private readonly annotated = new Set<string>();
  private readonly verbose: boolean;

  private constructor(
    stack: TerraformStack,
    private readonly options: PolicyCheckOptions,
  ) {
    super(stack, CHECK_ID);
    this.stack = stack;
    this.verbose = options.verbose ?? verboseFromEnvironment();
    this.node.addValidation({ validate: () => this.judge() });
    // Wrapping the stack's synthesizer writes the report only for a stack that was written.
    const inner = stack.synthesizer;
    stack.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        inner.synthesize(session);
        this.publish(session);
      },
    };
  }

  /** Called by the aspect for every resource and data source it visits. */
  record(node: IConstruct): void {
    this.subjects.add(node);
  }

  /** Evaluates every recorded resource; returns one error per unsuppressed finding. */
  private judge(): string[] {
    const all = readStack(this.stack);
    const context = { resources: [...all.values()], locals: readLocals(this.stack) };
    const byResource = new Map<PolicyResource, IConstruct>();
    for (const node of this.subjects) {
      const resource = all.get(node);
      if (resource) byResource.set(resource, node);
    }
    const findings = evaluatePolicy(APP_FLEETS_RULES, context, [...byResource.keys()], (r) =>
      PolicySuppressions.inForce(byResource.get(r)!),
    );
    const suppressed = findings.filter((f) => f.suppression);
    const used = new Set(suppressed.map((f) => `${f.ruleId}@${f.suppression!.declaredAt}`));
    const declared = [...byResource.values()].flatMap((node) => PolicySuppressions.inForce(node));
    const unused = [...new Map(declared.map((d) => [`${d.id}@${d.declaredAt}`, d])).entries()]
      .filter(([key]) => !used.has(key))
      .map(([, d]) => ({ id: d.id, declaredAt: d.declaredAt }));

    // Suppressed findings are excused on purpose: counted in the summary, itemized on request.
    for (const f of this.verbose ? suppressed : []) {
      const node = this.node.root.node.findAll().find((n) => n.node.path === f.path);
      if (node) this.annotateOnce(node, "info", `[${f.ruleId}] suppressed: ${f.problem}. Reason: ${f.suppression!.reason}`);
    }
    for (const u of unused) {
      const node = this.node.root.node.findAll().find((n) => n.node.path === u.declaredAt);
      if (node) this.annotateOnce(node, "warn", `[${u.id}] suppression excuses nothing here; delete it`);
    }

    this.report = {
      stack: this.stack.node.path,
      rulesEvaluated: APP_FLEETS_RULES.length,
      resourcesChecked: byResource.size,
      violations: findings.filter((f) => !f.suppression),
      suppressed,
      unusedSuppressions: unused,
    };
    return this.report.violations.map(formatFinding);
  }

  private annotateOnce(node: IConstruct, level: "info" | "warn", message: string): void {
    const key = `${node.node.path}|${message}`;
    if (this.annotated.has(key)) return;
    this.annotated.add(key);
    if (level === "info") Annotations.of(node).addInfo(message);
    else Annotations.of(node).addWarning(message);
  }

  /** Writes policy-report.json next to the stack's cdk.tf.json and prints the summary. */
  private publish(session: ISynthesisSession): void {
    // Under skipValidation the judge never ran: say so rather than write an empty, reassuring report.
    const report = this.report ?? { stack: this.stack.node.path, skipped: "validations were skipped (skipValidation)" };
    const dir = join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, POLICY_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    if (this.options.printReport !== false && this.report) {
      // eslint-disable-next-line no-console
      console.log(summarizeReport(this.report, { verbose: this.verbose }).join("\n"));
    }
  }
}
