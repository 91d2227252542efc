import {
  checkName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
} from './names';

// Kubernetes' messages, verbatim (k8s.io/apimachinery/pkg/util/validation).
const dns1123LabelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1123SubdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035LabelMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const qualifiedNamePartMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const qualifiedNameMsg =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** A valid subdomain of exactly `n` characters: labels of 63 joined by dots. */
function subdomainOfLength(n: number): string {
  const labels: string[] = [];
  let left = n;
  while (left > 0) {
    const len = Math.min(63, left);
    labels.push('a'.repeat(len));
    left -= len + 1;
  }
  const s = labels.join('.');
  return s.length === n ? s : s.slice(0, n - 1) + 'b';
}

describe('isDNS1123Label', () => {
  it.each(['a', '0', 'my-name', '123-abc', 'a--b', 'a'.repeat(63)])('accepts %j', (v) => {
    expect(isDNS1123Label(v)).toEqual([]);
  });

  it.each(['', 'A', 'My-name', '-a', 'a-', 'a_b', 'a b', 'ä'])('rejects %j with the regex message', (v) => {
    expect(isDNS1123Label(v)).toEqual([dns1123LabelMsg]);
  });

  it('rejects dots', () => {
    expect(isDNS1123Label('a.b')).toHaveLength(1);
  });

  it('rejects more than 63 characters', () => {
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isDNS1123Label('-'.repeat(64))).toEqual(['must be no more than 63 characters', dns1123LabelMsg]);
  });
});

describe('isDNS1123Subdomain', () => {
  it.each(['a', 'example.com', 'a.b-c.d', '0.0', 'my-app.v1', subdomainOfLength(253)])('accepts %j', (v) => {
    expect(isDNS1123Subdomain(v)).toEqual([]);
  });

  it.each(['', 'Example.com', '.a', 'a.', 'a..b', 'a_b', '-a.b', 'a-.b', 'a.-b', 'a/b'])('rejects %j with the regex message', (v) => {
    expect(isDNS1123Subdomain(v)).toEqual([dns1123SubdomainMsg]);
  });

  it('rejects more than 253 characters', () => {
    const long = subdomainOfLength(254);
    expect(long).toHaveLength(254);
    expect(isDNS1123Subdomain(long)).toEqual(['must be no more than 253 characters']);
  });
});

describe('isDNS1035Label', () => {
  it.each(['a', 'my-name', 'abc-123', 'a'.repeat(63)])('accepts %j', (v) => {
    expect(isDNS1035Label(v)).toEqual([]);
  });

  it.each(['', '1abc', '0', 'A', '-a', 'a-', 'a.b', 'a_b'])('rejects %j with the regex message', (v) => {
    expect(isDNS1035Label(v)).toEqual([dns1035LabelMsg]);
  });

  it('rejects more than 63 characters', () => {
    expect(isDNS1035Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('isPathSegmentName', () => {
  it.each(['a', 'system:admin', 'Foo Bar', '...', 'a.b', 'a..b', '.a'])('accepts %j', (v) => {
    expect(isPathSegmentName(v)).toEqual([]);
  });

  it('rejects . and ..', () => {
    expect(isPathSegmentName('.')).toEqual(["may not be '.'"]);
    expect(isPathSegmentName('..')).toEqual(["may not be '..'"]);
  });

  it('rejects / and %', () => {
    expect(isPathSegmentName('a/b')).toEqual(["may not contain '/'"]);
    expect(isPathSegmentName('a%2F')).toEqual(["may not contain '%'"]);
    expect(isPathSegmentName('%/')).toEqual(["may not contain '/'", "may not contain '%'"]);
  });
});

describe('checkName', () => {
  it('applies the kind\'s name rule', () => {
    expect(checkName('dns1123Subdomain', 'a.b')).toEqual([]);
    expect(checkName('dns1123Label', 'a.b')).not.toEqual([]);
    expect(checkName('dns1123Label', 'web-1')).toEqual([]);
    expect(checkName('dns1035Label', '1web')).toEqual([dns1035LabelMsg]);
    expect(checkName('dns1123Label', '1web')).toEqual([]);
    expect(checkName('pathSegment', 'system:controller:x')).toEqual([]);
    expect(checkName('pathSegment', 'a/b')).toEqual(["may not contain '/'"]);
    expect(checkName('dns1123Subdomain', 'system:controller:x')).toEqual([dns1123SubdomainMsg]);
  });
});

describe('isQualifiedName', () => {
  it.each(['a', 'app', 'MyName', 'my.name', '123-abc', 'a_b', 'A-b.C_d', 'example.com/MyName', 'app.kubernetes.io/name', 'k8s.io/a', 'a'.repeat(63)])(
    'accepts %j',
    (v) => {
      expect(isQualifiedName(v)).toEqual([]);
    },
  );

  it.each(['-a', 'a-', '_a', 'a_', '.a', 'a b', 'a:b', 'a@b'])('rejects the name %j with the name-part message', (v) => {
    expect(isQualifiedName(v)).toEqual([qualifiedNamePartMsg]);
  });

  it('rejects more than one /', () => {
    expect(isQualifiedName('a/b/c')).toEqual([qualifiedNameMsg]);
  });

  it('requires non-empty prefix and name parts', () => {
    expect(isQualifiedName('/a')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/')).toContain('name part must be non-empty');
    expect(isQualifiedName('')).toContain('name part must be non-empty');
  });

  it('requires the prefix to be a DNS subdomain', () => {
    expect(isQualifiedName('Example.com/a')).toEqual([`prefix part ${dns1123SubdomainMsg}`]);
    expect(isQualifiedName('a_b/c')).toEqual([`prefix part ${dns1123SubdomainMsg}`]);
    expect(isQualifiedName(`${subdomainOfLength(253)}/a`)).toEqual([]);
    expect(isQualifiedName(`${subdomainOfLength(254)}/a`)).toEqual(['prefix part must be no more than 253 characters']);
  });

  it('limits the name part to 63 characters, whatever the prefix', () => {
    expect(isQualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(isQualifiedName(`example.com/${'a'.repeat(63)}`)).toEqual([]);
    expect(isQualifiedName(`example.com/${'a'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters']);
  });

  it('reports prefix and name problems together', () => {
    expect(isQualifiedName('Bad/-x')).toEqual([`prefix part ${dns1123SubdomainMsg}`, qualifiedNamePartMsg]);
  });
});

describe('isValidLabelValue', () => {
  it.each(['', 'a', 'MyValue', 'my_value', '12345', 'a.b-c_d', 'v'.repeat(63)])('accepts %j', (v) => {
    expect(isValidLabelValue(v)).toEqual([]);
  });

  it.each(['-a', 'a-', '_a', 'a.', 'a b', 'a/b', 'a:b', 'é'])('rejects %j with the regex message', (v) => {
    expect(isValidLabelValue(v)).toEqual([labelValueMsg]);
  });

  it('rejects more than 63 characters', () => {
    expect(isValidLabelValue('v'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});
