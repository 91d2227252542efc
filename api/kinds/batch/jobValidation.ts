/**
 * Validation of Jobs (Kubernetes' pkg/apis/batch/validation): the JobSpec rules a CronJob's
 * jobTemplate shares, the selector a Job generates at create, and what an update may change.
 */
import { cloneJson } from '../../util/cloneJson';
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../validation/names';
import type { PodTemplateSpec } from '../core/podSpec';
import { validatePodTemplateSpec } from '../core/podValidation';
import { validateImmutable, validateNonnegative, validateNonnegativeFields, validateControllerSelector, selectorMatchesTemplate } from '../apps/workload';
import type { Job, JobSpec, JobStatus, PodFailurePolicyRule, SuccessPolicyRule } from './job';

/** Labels the Job controller puts on its pods and selects them by. */
export const jobLabels = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  legacyControllerUid: 'controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyJobName: 'job-name',
} as const;

const maxParallelismForIndexedJob = 100_000;
const maxFailedIndexesForIndexedJob = 100_000;
const completionsSoftLimit = 100_000;
const parallelismLimitForHighCompletions = 10_000;
const maxFailedIndexesLimitForHighCompletions = 10_000;
const maxPodFailurePolicyRules = 20;
const maxOnExitCodesValues = 255;
const maxOnPodConditionsPatterns = 20;
const maxManagedByLength = 63;
const maxSucceededIndexesLength = 64 * 1024;
const maxSuccessPolicyRules = 20;

/** validateJobSpec: everything but the selector, shared with CronJob's jobTemplate. */
export function validateJobSpecCommon(spec: JobSpec, path: FieldPath): FieldError[] {
  const at = (name: string) => child(path, name);
  const errs = validateNonnegativeFields(spec, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'], path);
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) {
    errs.push(field.required(at('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy !== undefined) {
    errs.push(...validateDomainPrefixedPath(spec.managedBy, at('managedBy')));
    if (spec.managedBy.length > maxManagedByLength) errs.push(field.tooLong(at('managedBy'), maxManagedByLength));
  }
  if (spec.completionMode === 'Indexed') errs.push(...validateIndexed(spec, path));
  else {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(field.invalid(at('backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errs.push(field.invalid(at('maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, at('podFailurePolicy')));
  if (spec.successPolicy) {
    if (spec.completionMode !== 'Indexed') errs.push(field.invalid(at('successPolicy'), spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, at('successPolicy')));
  }
  if (spec.podReplacementPolicy !== undefined && spec.podFailurePolicy && spec.podReplacementPolicy !== 'Failed') {
    errs.push(field.notSupported(at('podReplacementPolicy'), spec.podReplacementPolicy, ['Failed']));
  }
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, at('template')));
  errs.push(...validateJobRestartPolicy(spec, path));
  return errs;
}

function validateIndexed(spec: JobSpec, path: FieldPath): FieldError[] {
  const at = (name: string) => child(path, name);
  const errs: FieldError[] = [];
  const { completions, parallelism, maxFailedIndexes, backoffLimitPerIndex } = spec;
  if (completions === undefined) errs.push(field.required(at('completions'), 'when completion mode is Indexed'));
  if (parallelism !== undefined && parallelism > maxParallelismForIndexedJob) {
    errs.push(field.invalid(at('parallelism'), parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
  }
  if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
    errs.push(field.invalid(at('maxFailedIndexes'), maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (maxFailedIndexes !== undefined && maxFailedIndexes > maxFailedIndexesForIndexedJob) {
    errs.push(field.invalid(at('maxFailedIndexes'), maxFailedIndexes, `must be less than or equal to ${maxFailedIndexesForIndexedJob}`));
  }
  if (completions !== undefined && completions > completionsSoftLimit && backoffLimitPerIndex !== undefined) {
    const why = `when completions are above ${completionsSoftLimit} and used with backoff limit per index`;
    if (maxFailedIndexes === undefined) errs.push(field.required(at('maxFailedIndexes'), `must be specified when completions is above ${completionsSoftLimit}`));
    if (parallelism !== undefined && parallelism > parallelismLimitForHighCompletions) {
      errs.push(field.invalid(at('parallelism'), parallelism, `must be less than or equal to ${parallelismLimitForHighCompletions} ${why}`));
    }
    if (maxFailedIndexes !== undefined && maxFailedIndexes > maxFailedIndexesLimitForHighCompletions) {
      errs.push(field.invalid(at('maxFailedIndexes'), maxFailedIndexes, `must be less than or equal to ${maxFailedIndexesLimitForHighCompletions} ${why}`));
    }
  }
  return errs;
}

/** Job pods must not restart Always; Never is the only choice with a podFailurePolicy. */
function validateJobRestartPolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const at = child(path, 'template.spec.restartPolicy');
  // An absent restartPolicy has been defaulted to Always with the pod spec.
  const restartPolicy: string = spec.template?.spec?.restartPolicy ?? 'Always';
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') return [field.notSupported(at, restartPolicy, ['OnFailure', 'Never'])];
  if (spec.podFailurePolicy && restartPolicy !== 'Never') return [field.invalid(at, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPath = new RegExp(`^${httpPathFmt}$`);

/** IsDomainPrefixedPath: `acme.io/foo`. */
function validateDomainPrefixedPath(value: string, path: FieldPath): FieldError[] {
  if (value.length === 0) return [field.required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (!host || !rest) return [field.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => field.invalid(path, host, msg));
  if (!httpPath.test(rest)) errs.push(field.invalid(path, rest, `Invalid path (regex used for validation is '${httpPathFmt}')`));
  return errs;
}

function validatePodFailurePolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const rulesPath = child(path, 'rules');
  const errs: FieldError[] = [];
  if (rules.length > maxPodFailurePolicyRules) errs.push(field.tooMany(rulesPath, rules.length, maxPodFailurePolicyRules));
  const podSpec = spec.template?.spec;
  const containerNames = new Set([...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])].map((c) => c.name));
  rules.forEach((rule, i) => errs.push(...validatePodFailurePolicyRule(spec, rule, index(rulesPath, i), containerNames)));
  return errs;
}

function validatePodFailurePolicyRule(spec: JobSpec, rule: PodFailurePolicyRule, path: FieldPath, containerNames: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) {
    errs.push(field.invalid(child(path, 'action'), rule.action, 'requires the backoffLimitPerIndex to be set'));
  }
  const onExitCodes = rule.onExitCodes;
  if (onExitCodes) {
    const at = child(path, 'onExitCodes');
    if (onExitCodes.containerName !== undefined && !containerNames.has(onExitCodes.containerName)) {
      errs.push(field.invalid(child(at, 'containerName'), onExitCodes.containerName, 'must be one of the container or initContainer names in the pod template'));
    }
    const values = onExitCodes.values;
    const valuesPath = child(at, 'values');
    if (values.length === 0) errs.push(field.invalid(valuesPath, values, 'at least one value is required'));
    else if (values.length > maxOnExitCodesValues) errs.push(field.tooMany(valuesPath, values.length, maxOnExitCodesValues));
    const seen = new Set<number>();
    let ordered = true;
    values.forEach((value, j) => {
      if (onExitCodes.operator === 'In' && value === 0) errs.push(field.invalid(index(valuesPath, j), value, 'must not be 0 for the In operator'));
      if (seen.has(value)) errs.push(field.duplicate(index(valuesPath, j), value));
      seen.add(value);
      if (j > 0 && values[j - 1]! > value) ordered = false;
    });
    if (!ordered) errs.push(field.invalid(valuesPath, values, 'must be ordered'));
  }
  const patterns = rule.onPodConditions ?? [];
  if (patterns.length > 0) {
    const at = child(path, 'onPodConditions');
    if (patterns.length > maxOnPodConditionsPatterns) errs.push(field.tooMany(at, patterns.length, maxOnPodConditionsPatterns));
    patterns.forEach((pattern, j) => {
      for (const msg of isQualifiedName(pattern.type)) errs.push(field.invalid(child(index(at, j), 'type'), pattern.type, msg));
    });
  }
  if (onExitCodes && patterns.length > 0) errs.push(field.invalid(path, rule, 'specifying both OnExitCodes and OnPodConditions is not supported'));
  if (!onExitCodes && patterns.length === 0) errs.push(field.invalid(path, rule, 'specifying one of OnExitCodes and OnPodConditions is required'));
  return errs;
}

function validateSuccessPolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const rulesPath = child(path, 'rules');
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(field.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > maxSuccessPolicyRules) errs.push(field.tooMany(rulesPath, rules.length, maxSuccessPolicyRules));
  rules.forEach((rule, i) => errs.push(...validateSuccessPolicyRule(rule, spec.completions, index(rulesPath, i))));
  return errs;
}

function validateSuccessPolicyRule(rule: SuccessPolicyRule, completions: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.succeededCount === undefined && rule.succeededIndexes === undefined) {
    errs.push(field.required(path, 'at least one of succeededCount or succeededIndexes must be specified'));
  }
  if (completions === undefined) return errs; // reported as spec.completions: Required value
  let totalIndexes = 0;
  if (rule.succeededIndexes !== undefined) {
    const at = child(path, 'succeededIndexes');
    if (rule.succeededIndexes.length > maxSucceededIndexesLength) errs.push(field.tooLong(at, maxSucceededIndexesLength));
    const parsed = parseIndexes(rule.succeededIndexes, completions);
    if (typeof parsed === 'string') errs.push(field.invalid(at, rule.succeededIndexes, `error parsing succeededIndexes: ${parsed}`));
    else totalIndexes = parsed;
  }
  if (rule.succeededCount !== undefined) {
    const at = child(path, 'succeededCount');
    errs.push(...validateNonnegative(rule.succeededCount, at));
    if (rule.succeededCount > completions) {
      errs.push(field.invalid(at, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
    }
    if (rule.succeededIndexes !== undefined && rule.succeededCount > totalIndexes) {
      errs.push(field.invalid(at, rule.succeededCount, `must be less than or equal to ${totalIndexes} (the number of indexes in the specified succeededIndexes field)`));
    }
  }
  return errs;
}

/** Parses "1,3-5,7" (increasing, each < completions): the number of indexes, or what is wrong. */
export function parseIndexes(text: string, completions: number): number | string {
  if (text === '') return 0;
  let last: number | undefined;
  let total = 0;
  const toInt = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : undefined);
  for (const interval of text.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return `the fragment "${interval}" violates the requirement that an index interval can have at most two parts separated by '-'`;
    for (const [k, limit] of limits.entries()) {
      const n = toInt(limit);
      if (n === undefined) return `cannot convert string to integer for index: "${limit}"`;
      if (n >= completions) return `too large index: "${limit}"`;
      if (last !== undefined && last >= n) return `non-increasing order, previous: ${last}, current: ${n}`;
      total += k === 0 ? 1 : n - last!;
      last = n;
    }
  }
  return total;
}

/** validateGeneratedSelector: an auto-generated selector must select the labels it was generated from. */
function validateGeneratedSelector(job: Job): FieldError[] {
  const spec = job.spec;
  const uid = job.metadata?.uid;
  // Without a uid the API server has not generated the selector yet (see generateJobSelector).
  if (!spec?.selector || spec.manualSelector === true || !uid) return [];
  const name = job.metadata?.name ?? '';
  const labels = spec.template?.metadata?.labels ?? {};
  const errs: FieldError[] = [];
  const expected: Record<string, string> = {
    [jobLabels.legacyControllerUid]: uid,
    [jobLabels.legacyJobName]: name,
    [jobLabels.controllerUid]: uid,
    [jobLabels.jobName]: name,
  };
  for (const [key, value] of Object.entries(expected)) {
    const at = `spec.template.metadata.labels[${key}]`;
    if (labels[key] === undefined) errs.push(field.required(at, value));
    else if (labels[key] !== value) errs.push(field.invalid(at, labels, `must be '${value}'`));
  }
  if (!selectorMatchesTemplate(spec.selector, expected)) errs.push(field.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}

/** ValidateJobSpec: the common rules and the selector. */
function validateJobSpec(job: Job): FieldError[] {
  const spec = job.spec;
  if (!spec) return [field.required('spec.template')];
  const errs = validateJobSpecCommon(spec, 'spec');
  // Unless manualSelector is true, the server generates the selector at create (generateJobSelector).
  if (spec.selector || spec.manualSelector === true) {
    // Jobs, unlike the apps controllers, accept the empty selector.
    errs.push(...validateControllerSelector(spec.selector, spec.template?.metadata?.labels, 'spec', {}));
  }
  return errs;
}

/** A suspended Job that never started may change where its pods go (AllowMutableSchedulingDirectives). */
function validateTemplateUpdate(spec: JobSpec, old: Job): FieldError[] {
  const template = spec.template;
  const oldSpec = old.spec;
  let oldTemplate: PodTemplateSpec | undefined = oldSpec?.template;
  if (oldSpec?.suspend === true && !old.status?.startTime && oldTemplate && template) {
    const clone = cloneJson(oldTemplate);
    const podSpec = template.spec;
    const oldPodSpec = clone.spec;
    if (podSpec && oldPodSpec) {
      if (!podSpec.affinity && oldPodSpec.affinity) {
        const { nodeAffinity: _dropped, ...rest } = oldPodSpec.affinity;
        oldPodSpec.affinity = Object.keys(rest).length ? rest : undefined;
      } else if (podSpec.affinity) {
        oldPodSpec.affinity = { ...oldPodSpec.affinity, nodeAffinity: podSpec.affinity.nodeAffinity };
      }
      oldPodSpec.nodeSelector = podSpec.nodeSelector;
      oldPodSpec.tolerations = podSpec.tolerations;
      oldPodSpec.schedulingGates = podSpec.schedulingGates;
    }
    clone.metadata = { ...clone.metadata, annotations: template.metadata?.annotations, labels: template.metadata?.labels };
    oldTemplate = clone;
  }
  return validateImmutable(template, oldTemplate, 'spec.template');
}

/** Completions may change only for Indexed Jobs, together with parallelism (elastic Indexed Jobs). */
function validateCompletionsUpdate(spec: JobSpec, oldSpec: JobSpec | undefined): FieldError[] {
  if (spec.completionMode !== 'Indexed') return validateImmutable(spec.completions, oldSpec?.completions, 'spec.completions');
  if (spec.completions === oldSpec?.completions || spec.completions === undefined) return [];
  if (spec.completions !== spec.parallelism) return [field.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism')];
  return [];
}

function validateJobStatus(status: JobStatus | undefined): FieldError[] {
  if (!status) return [];
  const errs = validateNonnegativeFields(status, ['active', 'succeeded', 'failed', 'ready', 'terminating'], 'status');
  const seen = new Set<string>();
  for (const kind of ['succeeded', 'failed'] as const) {
    (status.uncountedTerminatedPods?.[kind] ?? []).forEach((uid, i) => {
      const at = `status.uncountedTerminatedPods.${kind}[${i}]`;
      if (uid === '') errs.push(field.invalid(at, uid, 'must not be empty'));
      else if (seen.has(uid)) errs.push(field.duplicate(at, uid));
      seen.add(uid);
    });
  }
  return errs;
}

/** ValidateJob on create, ValidateJobUpdate (and the status rules) on update. */
export function validateJob(job: Job, old?: Job): FieldError[] {
  const errs: FieldError[] = [];
  if (!old) errs.push(...validateGeneratedSelector(job));
  errs.push(...validateJobSpec(job));
  const spec = job.spec;
  if (!old) {
    if (spec?.completionMode === 'Indexed' && spec.completions !== undefined && spec.completions > 0) {
      // Pod hostnames are <job name>-<index>: the largest must be a DNS label.
      const name = job.metadata?.name ?? '';
      const hostname = `${name}-${spec.completions - 1}`;
      if (name && isDNS1123Label(hostname).length) {
        errs.push(field.invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${hostname}`));
      }
    }
    return errs;
  }
  if (spec) {
    const oldSpec = old.spec;
    errs.push(...validateCompletionsUpdate(spec, oldSpec));
    errs.push(...validateImmutable(spec.selector, oldSpec?.selector, 'spec.selector'));
    errs.push(...validateTemplateUpdate(spec, old));
    for (const name of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
      errs.push(...validateImmutable(spec[name], oldSpec?.[name], `spec.${name}`));
    }
  }
  errs.push(...validateJobStatus(job.status));
  return errs;
}
