import * as field from './field/errors';
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  internalError,
  invalid,
  isStatusError,
  methodNotSupported,
  notFound,
  pathNotFound,
  serviceUnavailable,
  staleObjectMessage,
  StatusError,
  success,
  timeout,
  tooLarge,
  tooManyRequests,
  unsupportedMediaType,
} from './status';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

describe('StatusError', () => {
  it('is an Error with the code, reason and message', () => {
    const err = notFound(pods, 'x');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(StatusError);
    expect(err.name).toBe('StatusError');
    expect(err.code).toBe(404);
    expect(err.reason).toBe('NotFound');
    expect(err.message).toBe('pods "x" not found');
  });

  it('renders as a metav1.Status', () => {
    expect(notFound(deployments, 'web').toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" not found',
      reason: 'NotFound',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it('leaves details out of the Status when there are none', () => {
    const status = badRequest('bad').toStatus();
    expect(status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'bad', reason: 'BadRequest', code: 400 });
    expect('details' in status).toBe(false);
  });

  it('puts a continue token of an expired list in metadata', () => {
    expect(expired('too old', 'token-1').toStatus().metadata).toEqual({ continue: 'token-1' });
    expect(expired('too old').toStatus().metadata).toEqual({});
  });

  it('isStatusError checks the type and, if given, the code', () => {
    const err = notFound(pods, 'x');
    expect(isStatusError(err)).toBe(true);
    expect(isStatusError(err, 404)).toBe(true);
    expect(isStatusError(err, 409)).toBe(false);
    expect(isStatusError(new Error('x'))).toBe(false);
    expect(isStatusError({ code: 404 })).toBe(false);
    expect(isStatusError(undefined)).toBe(false);
  });
});

describe('Status errors as Kubernetes words them', () => {
  it.each([
    [404, 'NotFound', 'pods "x" not found', notFound(pods, 'x')],
    [404, 'NotFound', 'deployments.apps "web" not found', notFound(deployments, 'web')],
    [404, 'NotFound', 'the server could not find the requested resource', pathNotFound()],
    [409, 'AlreadyExists', 'pods "x" already exists', alreadyExists(pods, 'x')],
    [409, 'AlreadyExists', 'deployments.apps "web" already exists', alreadyExists(deployments, 'web')],
    [
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      conflict(deployments, 'web', staleObjectMessage),
    ],
    [403, 'Forbidden', 'pods "x" is forbidden: no', forbidden(pods, 'x', 'no')],
    [403, 'Forbidden', 'deployments.apps is forbidden: no', forbidden(deployments, '', 'no')],
    [405, 'MethodNotAllowed', 'watch is not supported on resources of kind "pods"', methodNotSupported(pods, 'watch')],
    [400, 'BadRequest', 'nope', badRequest('nope')],
    [410, 'Expired', 'too old', expired('too old')],
    [413, 'RequestEntityTooLarge', 'big', tooLarge('big')],
    [429, 'TooManyRequests', 'Too many requests, please try again later.', tooManyRequests(1)],
    [500, 'InternalError', 'Internal error occurred: boom', internalError('boom')],
    [503, 'ServiceUnavailable', 'down', serviceUnavailable('down')],
    [504, 'Timeout', 'slow', timeout('slow')],
  ] as const)('%i %s: %s', (code, reason, message, err) => {
    expect(err).toBeInstanceOf(StatusError);
    expect(err.code).toBe(code);
    expect(err.reason).toBe(reason);
    expect(err.message).toBe(message);
    expect(err.toStatus()).toMatchObject({ code, reason, message, status: 'Failure' });
  });

  it('names the resource in the details of NotFound, AlreadyExists and Conflict', () => {
    for (const err of [notFound(pods, 'x'), alreadyExists(pods, 'x'), conflict(pods, 'x', 'why')]) {
      expect(err.details).toEqual({ name: 'x', group: '', kind: 'pods' });
    }
  });

  it('gives TooManyRequests a retry delay and InternalError its cause', () => {
    expect(tooManyRequests(3).details).toEqual({ retryAfterSeconds: 3 });
    expect(internalError('boom').details).toEqual({ causes: [{ message: 'boom' }] });
  });

  it('lists the accepted media types of UnsupportedMediaType', () => {
    const err = unsupportedMediaType('text/plain', ['application/json', 'application/merge-patch+json']);
    expect(err.code).toBe(415);
    expect(err.reason).toBe('UnsupportedMediaType');
    expect(err.message).toContain('accepted media types include: application/json, application/merge-patch+json');
  });
});

describe('invalid (422)', () => {
  it('prints one error without brackets', () => {
    const err = invalid({ group: '', kind: 'Pod' }, 'x', [field.required('spec.containers[0].image')]);
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('Pod "x" is invalid: spec.containers[0].image: Required value');
  });

  it('prints several errors in brackets, in order', () => {
    const err = invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      field.invalid('spec.replicas', -1, 'must be greater than or equal to 0'),
      field.required('spec.selector'),
    ]);
    expect(err.message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]',
    );
  });

  it('lists every error as a cause with its type, message and field', () => {
    const err = invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      field.invalid('spec.replicas', -1, 'must be greater than or equal to 0'),
      field.required('spec.selector'),
    ]);
    expect(err.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: err.message,
      reason: 'Invalid',
      details: {
        name: 'web',
        group: 'apps',
        kind: 'Deployment',
        causes: [
          { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
        ],
      },
      code: 422,
    });
  });

  it('prints a repeated message once, as field.ErrorList.ToAggregate does, but keeps every cause', () => {
    const dup = field.invalid('metadata.labels', '-x', 'bad');
    const one = invalid({ group: '', kind: 'Pod' }, 'x', [dup, dup]);
    expect(one.message).toBe('Pod "x" is invalid: metadata.labels: Invalid value: "-x": bad');
    const two = invalid({ group: '', kind: 'Pod' }, 'x', [dup, field.required('spec'), dup]);
    expect(two.message).toBe('Pod "x" is invalid: [metadata.labels: Invalid value: "-x": bad, spec: Required value]');
    expect(two.details?.causes).toHaveLength(3);
  });

  it('prints no aggregate when there are no errors', () => {
    expect(invalid({ group: '', kind: 'Pod' }, 'x', []).message).toBe('Pod "x" is invalid');
  });
});

describe('success', () => {
  it('is a Success Status with code 200', () => {
    expect(success()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    expect(success({ name: 'x', kind: 'pods', uid: 'u' })).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'x', kind: 'pods', uid: 'u' },
      code: 200,
    });
  });
});
