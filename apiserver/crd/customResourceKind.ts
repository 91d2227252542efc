/**
 * The ResourceKind and REST Strategy of one served version of a CustomResourceDefinition: what the
 * generic store needs to serve custom resources like any built-in kind.
 *   - names from the CRD's accepted names, scope from spec.scope;
 *   - an unstructured schema (schemaFromJSONSchemaProps.ts) for pruning and defaults, and
 *     validation against the CRD schema (customResourceValidator.ts) plus the scale paths;
 *   - status and scale subresources as the version declares them; selectable fields from
 *     selectableFields (`.spec.color` is field `spec.color`, read as a string);
 *   - a strategy as Kubernetes' customresource strategy: status cleared on create and kept by
 *     main-resource writes when /status is enabled, DELETE answers with the object, and creates
 *     are refused while the CRD is being deleted.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionVersion,
} from '../../api/kinds/apiextensions/customResourceDefinition';
import * as field from '../../api/field/errors';
import type { FieldError } from '../../api/field/errors';
import { defineKind, type FieldReader, type KubeObject, type ResourceKind, type ScaleSubresource } from '../../api/kinds/kind';
import * as status from '../../api/status';
import { getPath } from '../registry/subresources';
import type { Strategy } from '../registry/strategy';
import { compileCelValidator } from './celValidator';
import { compileCustomResourceValidator } from './customResourceValidator';
import { schemaFromJSONSchemaProps } from './schemaFromJSONSchemaProps';

/** What the strategies of one CRD share with its controller. */
export interface CustomResourceState {
  /** The CRD is being deleted: new custom resources are refused. */
  terminating: boolean;
}

/** The kind of a served version, named by the CRD's accepted names. */
export function customResourceKind(crd: CustomResourceDefinition, version: CustomResourceDefinitionVersion, names: CustomResourceDefinitionNames): ResourceKind {
  const openAPIV3Schema = version.schema?.openAPIV3Schema;
  const validateValues = compileCustomResourceValidator(openAPIV3Schema);
  const validateRules = compileCelValidator(openAPIV3Schema);
  const scale = scaleOf(version);
  return defineKind<KubeObject>({
    group: crd.spec.group,
    version: version.name,
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    namespaced: crd.spec.scope === 'Namespaced',
    schema: schemaFromJSONSchemaProps(openAPIV3Schema),
    unstructured: true,
    nameRule: 'dns1123Subdomain',
    subresources: {
      ...(version.subresources?.status !== undefined ? { status: true } : {}),
      ...(scale ? { scale } : {}),
    },
    selectableFields: selectableFields(version),
    ...(version.additionalPrinterColumns?.length ? { printerColumns: version.additionalPrinterColumns } : {}),
    validate: (obj, old) => {
      const errs = validateValues(obj);
      // CEL rules assume the schema's types: they run only on values that passed it.
      if (errs.length === 0 && validateRules) errs.push(...validateRules(obj, old));
      return scale ? [...errs, ...scaleErrors(obj, scale)] : errs;
    },
  });
}

/** The strategy of a served version; `state` is shared by every version of the CRD. */
export function customResourceStrategy(kind: ResourceKind, state: CustomResourceState): Strategy {
  return {
    resetStatusOnCreate: kind.subresources.status === true,
    returnDeletedObject: true,
    prepareForCreate: () => {
      if (state.terminating) {
        const err = status.methodNotSupported({ group: kind.group, resource: kind.plural }, 'create');
        throw new status.StatusError(err.code, err.reason, 'create not allowed while custom resource definition is terminating', err.details);
      }
    },
  };
}

function scaleOf(version: CustomResourceDefinitionVersion): ScaleSubresource | undefined {
  const scale = version.subresources?.scale;
  if (!scale) return undefined;
  return {
    specReplicasPath: scale.specReplicasPath,
    statusReplicasPath: scale.statusReplicasPath,
    ...(scale.labelSelectorPath ? { labelSelectorPath: scale.labelSelectorPath } : {}),
  };
}

/** selectableFields: `.spec.color` becomes field `spec.color`, its value as a string ('' when absent). */
function selectableFields(version: CustomResourceDefinitionVersion): Record<string, FieldReader<KubeObject>> {
  const fields: Record<string, FieldReader<KubeObject>> = {};
  for (const { jsonPath } of version.selectableFields ?? []) {
    fields[jsonPath.replace(/^\./, '')] = (obj) => selectableValue(getPath(obj, jsonPath));
  }
  return fields;
}

function selectableValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * The scale paths must hold what a Scale can express, as Kubernetes' customresource validator
 * checks (ValidateScaleSpec/ValidateScaleStatus): replicas non-negative int32 integers, the label
 * selector a string. Errors name the path as declared (`.spec.replicas`), with Go's zero value
 * when the field has the wrong type.
 */
function scaleErrors(obj: KubeObject, scale: ScaleSubresource): FieldError[] {
  const errs: FieldError[] = [];
  for (const path of [scale.specReplicasPath, scale.statusReplicasPath]) {
    const value = getPath(obj, path);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      errs.push(field.invalid(path, 0, accessorError(path, value, 'int64')));
    } else if (value < 0) {
      errs.push(field.invalid(path, value, 'should be a non-negative integer'));
    } else if (value > 2 ** 31 - 1) {
      errs.push(field.invalid(path, value, `should be less than or equal to ${2 ** 31 - 1}`));
    }
  }
  if (scale.labelSelectorPath) {
    const value = getPath(obj, scale.labelSelectorPath);
    if (value !== undefined && typeof value !== 'string') errs.push(field.invalid(scale.labelSelectorPath, '', accessorError(scale.labelSelectorPath, value, 'string')));
  }
  return errs;
}

/** unstructured.NestedInt64/NestedString's error: `.spec.replicas accessor error: x is of the type string, expected int64`. */
function accessorError(path: string, value: unknown, expected: string): string {
  const shown = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return `.${path.replace(/^\./, '')} accessor error: ${shown} is of the type ${typeName(value)}, expected ${expected}`;
}

/** Go's name for the type of a decoded JSON value, as unstructured accessors report it. */
function typeName(value: unknown): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'object') return 'map[string]interface {}';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
