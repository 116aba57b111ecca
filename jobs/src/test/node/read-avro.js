'use strict';

// Decodes Avro container files with avsc, a JavaScript Avro implementation that shares no code
// with Spindle or Avro's Java library, for IndependentReadersIT. Prints JSON lines on stdout:
// per file {"file": path, "codec": codec, "schema": the writer schema as in the file's header},
// then one {"record": {...}} per record, then {"end": path, "records": count}.
//
// Logical types are not registered, so values are the underlying Avro types: dates are int
// days, timestamps raw longs in the unit the schema's logicalType names. Longs are decoded as
// BigInt and printed as decimal strings (a JavaScript number holds only 53 bits); doubles that
// JSON cannot write (NaN, +-Infinity, -0) are printed as the strings "NaN", "Infinity",
// "-Infinity" and "-0". Exits non-zero on any decoding error.

const avro = require('avsc');

const longType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});

function isLong(schema) {
  return schema === 'long' || (schema !== null && typeof schema === 'object' && schema.type === 'long') ? longType : undefined;
}

function jsonValue(value) {
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      return 'NaN';
    }
    if (value === Infinity) {
      return 'Infinity';
    }
    if (value === -Infinity) {
      return '-Infinity';
    }
    if (Object.is(value, -0)) {
      return '-0';
    }
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('base64');
  }
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) {
      out[key] = jsonValue(value[key]);
    }
    return out;
  }
  return value;
}

function print(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function decode(path) {
  return new Promise((resolve, reject) => {
    let records = 0;
    avro.createFileDecoder(path, {
      // every long, "long" or {"type": "long", "logicalType": ...} (a registry entry would
      // catch only the former), becomes a BigInt
      parseHook: (schema) => avro.Type.forSchema(schema, {typeHook: isLong, wrapUnions: 'never'}),
    })
      .on('metadata', (type, codec, header) => {
        print({file: path, codec: codec, schema: JSON.parse(header.meta['avro.schema'].toString('utf8'))});
      })
      .on('data', (record) => {
        records++;
        print({record: jsonValue(record)});
      })
      .on('error', (err) => reject(new Error(path + ': ' + err.message)))
      .on('end', () => {
        print({end: path, records: records});
        resolve();
      });
  });
}

async function main(paths) {
  if (paths.length === 0) {
    throw new Error('usage: node read-avro.js FILE.avro...');
  }
  for (const path of paths) {
    await decode(path);
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write('read-avro: ' + err.message + '\n');
  process.exit(1);
});
