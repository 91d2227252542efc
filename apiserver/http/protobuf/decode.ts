/**
 * Decodes a protobuf message into its Kubernetes JSON form, generically, from its descriptor:
 * fields the descriptor does not know are skipped (as Kubernetes skips unknown protobuf fields),
 * a value whose wire type does not fit its field makes the body malformed.
 */
import { defineMessage, type Field, type FieldSpec, type JsonObject, type JsonValue, type MessageType, type ScalarType, type ValueType } from './descriptor';
import { MalformedProtobuf, WireReader, WireType } from './wire';

const utf8 = new TextDecoder('utf-8');

export function decodeMessage(type: MessageType, bytes: Uint8Array): JsonValue {
  const fields = fieldsByNumber(type);
  const values = new Map<Field, JsonValue[]>();
  const reader = new WireReader(bytes);
  while (!reader.done()) {
    const key = reader.key();
    const field = fields.get(key.number);
    if (!field) {
      reader.skip(key.wireType);
      continue;
    }
    let got = values.get(field);
    if (!got) values.set(field, (got = []));
    readValues(reader, field, key.wireType, got);
  }

  const out: JsonObject = {};
  for (const field of type.fields) {
    const got = values.get(field);
    if (!got || got.length === 0) continue;
    if (field.cardinality === 'repeated') {
      out[field.json] = got;
    } else if (field.cardinality === 'map') {
      out[field.json] = Object.fromEntries(got.map((entry) => [(entry as JsonObject).key as string, (entry as JsonObject).value!]));
    } else if (field.cardinality === 'inline') {
      Object.assign(out, got[got.length - 1]);
    } else {
      const value = got[got.length - 1]!;
      if (field.keepZero || !isZero(field.type, value)) out[field.json] = value;
    }
  }
  return type.toJson ? type.toJson(out) : out;
}

/** Reads one occurrence of a field: one value, or several for a packed repeated number. */
function readValues(reader: WireReader, field: Field, wireType: WireType, into: JsonValue[]): void {
  if (field.cardinality === 'map') {
    into.push(decodeMessage(mapEntry(field), lengthDelimited(reader, field, wireType)));
  } else if (typeof field.type === 'object') {
    into.push(decodeMessage(field.type, lengthDelimited(reader, field, wireType)));
  } else if (field.cardinality === 'repeated' && wireType === WireType.LengthDelimited && isNumeric(field.type)) {
    const packed = new WireReader(reader.lengthDelimited());
    while (!packed.done()) into.push(readScalar(packed, field, WireType.Varint));
  } else {
    into.push(readScalar(reader, field, wireType));
  }
}

function readScalar(reader: WireReader, field: Field, wireType: WireType): JsonValue {
  const type = field.type as ScalarType;
  switch (type) {
    case 'string':
      return utf8.decode(lengthDelimited(reader, field, wireType));
    case 'bytes':
      // As Go writes []byte in JSON.
      return Buffer.from(lengthDelimited(reader, field, wireType)).toString('base64');
    case 'bool':
      return varint(reader, field, wireType) !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, varint(reader, field, wireType)));
    case 'int64':
      return Number(BigInt.asIntN(64, varint(reader, field, wireType)));
  }
}

function lengthDelimited(reader: WireReader, field: Field, wireType: WireType): Uint8Array {
  if (wireType !== WireType.LengthDelimited) throw wrongWireType(field, wireType);
  return reader.lengthDelimited();
}

function varint(reader: WireReader, field: Field, wireType: WireType): bigint {
  if (wireType !== WireType.Varint) throw wrongWireType(field, wireType);
  return reader.varint();
}

function wrongWireType(field: Field, wireType: WireType): MalformedProtobuf {
  return new MalformedProtobuf(`proto: wrong wireType = ${wireType} for field ${field.json}`);
}

function isNumeric(type: ScalarType): boolean {
  return type === 'bool' || type === 'int32' || type === 'int64';
}

function isZero(type: ValueType, value: JsonValue): boolean {
  if (typeof type === 'object') return type.isZero?.(value) ?? false;
  return value === '' || value === 0 || value === false;
}

const indexes = new WeakMap<MessageType, Map<number, Field>>();

function fieldsByNumber(type: MessageType): Map<number, Field> {
  let index = indexes.get(type);
  if (!index) {
    index = new Map(type.fields.map((f) => [f.number, f]));
    indexes.set(type, index);
  }
  return index;
}

const entries = new WeakMap<Field, MessageType>();

/**
 * The entry message of a map field: {key = 1, value = 2}. Both are kept when zero (an entry
 * with an empty value is still an entry), and a missing value is its type's zero.
 */
function mapEntry(field: Field): MessageType {
  let entry = entries.get(field);
  if (!entry) {
    // Computed per entry: a decoded object must not share values with another.
    const zero = () => (typeof field.type === 'object' ? decodeMessage(field.type, new Uint8Array(0)) : scalarZero(field.type));
    const key: FieldSpec = { number: 1, type: 'string', cardinality: 'single', keepZero: true };
    const value: FieldSpec = { number: 2, type: field.type, cardinality: 'single', keepZero: true };
    entry = defineMessage(`${field.json} entry`, { key, value }, {
      toJson: (fields) => ({ key: fields.key ?? '', value: fields.value ?? zero() }),
      isZero: () => false,
    });
    entries.set(field, entry);
  }
  return entry;
}

function scalarZero(type: ScalarType): JsonValue {
  return type === 'string' || type === 'bytes' ? '' : type === 'bool' ? false : 0;
}
