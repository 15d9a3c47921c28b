'use strict'
/*
 * Independent consumers of bindep-sbom's SBOMs (issue 15, point 6):
 *
 * - the CycloneDX JavaScript library's strict JSON validator, for the spec
 *   version the document declares;
 * - packageurl-js on every purl written anywhere in the document (a
 *   component's purl, an SPDX purl reference, a property naming one): each
 *   must parse, and print back as written;
 * - spdx-expression-parse on every licence expression.
 *
 * usage: node check.cjs FILE...     one report per file, exit 1 on errors
 *        node check.cjs --serve     a path a line on stdin, a JSON line
 *                                   {"file", "errors": [...]} back for each
 *        node check.cjs --spdx3-schema SCHEMA FILE...
 *                                   each SPDX 3 file against the JSON schema
 *                                   SCHEMA as published, by ajv's draft
 *                                   2020-12 validator: one line per error,
 *                                   "FILE: PATH: MESSAGE", exit 1 on errors
 *
 * The last is the golden SPDX 3 document's check against the official
 * schema, unchanged (tests/e2e/cases_formats.py, official_spdx3): the
 * schema closes every class with unevaluatedProperties, which ajv compiles
 * (half a second, then a fraction of one a document), where jsonschema
 * walks every subschema again for each element (tests/validate.py
 * spdx3-official: 20 to 30 s of CPU for the golden document).
 *
 * Known deviations of the consumers, accepted and named here, never worked
 * around in the output:
 * - packageurl-js 2.0.1 prints a version's "+" bare where it read "%2B";
 *   purl-spec requires "+" to be percent-encoded in every component
 *   ("Character encoding": "+" is not among the characters left as they
 *   are), so the comparison treats "%2B" and "+" as equal.
 * - packageurl-js 2.0.1 percent-encodes ":" in a qualifier value, where
 *   purl-spec keeps it as it is: its test suite's canonical form is
 *   "download_url=https:%2F%2Fopenssl.org%2F..." (specification-test.json,
 *   vendored in tests/data/purl-spec), so "%3A" and ":" are equal too.
 * - packageurl-js 2.0.1 trims whitespace off both ends of a name and a
 *   version it decodes (String.prototype.trim), where purl-spec keeps
 *   every character a part decodes to: a Go module list written with
 *   CRLF line ends keeps the '\r' at the end of a field, as Go reads it
 *   ("@v1.0.0%0D"), so whitespace percent-encoded at either end of a
 *   name or a version is left out of the comparison.
 * - spdx-expression-parse 4.0.0 takes its exception ids from
 *   spdx-exceptions, which lags the SPDX list: PCRE2-exception (SPDX
 *   License List 3.19) is not in it. An expression that fails only on a
 *   listed lagging exception is reported as that lag, not as an error.
 */
const fs = require('fs')
const readline = require('readline')
const { Spec, Validation } = require('@cyclonedx/cyclonedx-library')
const { PackageURL } = require('packageurl-js')
const parseLicense = require('spdx-expression-parse')

const LAGGING_EXCEPTIONS = ['PCRE2-exception']
const NOT_EXPRESSIONS = new Set(['NOASSERTION', 'NONE'])

function cdxVersion (doc) {
  const key = 'v' + String(doc.specVersion).replace('.', 'dot')
  return Spec.Version[key]
}

/* One validator per spec version: each compiles its schema at its first
 * document (about 100 ms), and keeps it. */
const validators = new Map()

function validatorOf (version) {
  if (!validators.has(version)) {
    validators.set(version, new Validation.JsonStrictValidator(version))
  }
  return validators.get(version)
}

async function validateCycloneDX (text, doc, errors) {
  const version = cdxVersion(doc)
  if (!version) {
    errors.push('cyclonedx-library: unknown specVersion ' + doc.specVersion)
    return
  }
  const found = await validatorOf(version).validate(text)
  if (found !== null) {
    errors.push('cyclonedx-library: ' + JSON.stringify(found).slice(0, 2000))
  }
}

/* Every string in the document that is a purl, with where it was. */
function purlsOf (value, where, out) {
  if (typeof value === 'string') {
    if (value.startsWith('pkg:')) out.push([where, value])
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => purlsOf(v, where + '[' + i + ']', out))
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) purlsOf(v, where + '.' + k, out)
  }
  return out
}

/* A purl's name and version without the whitespace percent-encoded at
 * their ends, as packageurl-js reads them. */
function trimmedAsRead (purl) {
  const ends = /^(?:%0[9A-D]|%20)+|(?:%0[9A-D]|%20)+$/gi
  const cut = purl.search(/[?#]/)
  const head = cut < 0 ? purl : purl.slice(0, cut)
  const rest = cut < 0 ? '' : purl.slice(cut)
  const at = head.lastIndexOf('@')
  const body = at < 0 ? head : head.slice(0, at)
  const slash = body.lastIndexOf('/')
  const name = body.slice(slash + 1).replace(ends, '')
  const version = at < 0 ? '' : '@' + head.slice(at + 1).replace(ends, '')
  return body.slice(0, slash + 1) + name + version + rest
}

/* The deviations named above: "%2B" printed as "+", ":" as "%3A", the
 * whitespace at a name's or version's ends trimmed. */
function sameModuloKnown (written, printed) {
  const at = (s) => s.replace(/%2B/g, '+').replace(/%3A/g, ':')
  return at(trimmedAsRead(written)) === at(printed)
}

function checkPurls (doc, errors) {
  for (const [where, purl] of purlsOf(doc, '$', [])) {
    let printed
    try {
      printed = PackageURL.fromString(purl).toString()
    } catch (e) {
      errors.push('packageurl-js: ' + where + ': ' + purl + ': ' + e.message)
      continue
    }
    if (printed !== purl && !sameModuloKnown(purl, printed)) {
      errors.push('packageurl-js: ' + where + ': ' + purl + ' prints as ' + printed)
    }
  }
}

function expressionsOf (doc) {
  const out = []
  if (doc.bomFormat === 'CycloneDX') {
    const comps = [...(doc.components || [])]
    if (doc.metadata && doc.metadata.component) comps.push(doc.metadata.component)
    for (const c of comps) {
      for (const l of c.licenses || []) {
        if (l.expression) out.push([c['bom-ref'], l.expression])
      }
    }
  } else if (doc.spdxVersion) {
    for (const p of doc.packages || []) {
      for (const key of ['licenseDeclared', 'licenseConcluded']) {
        if (p[key] && !NOT_EXPRESSIONS.has(p[key])) out.push([p.SPDXID, p[key]])
      }
    }
  } else if (doc['@context'] && Array.isArray(doc['@graph'])) {
    /* SPDX 3: each expression is a simplelicensing_LicenseExpression. */
    for (const e of doc['@graph']) {
      if (e.type === 'simplelicensing_LicenseExpression') {
        out.push([e.spdxId, e.simplelicensing_licenseExpression])
      }
    }
  }
  return out
}

function checkLicenses (doc, errors, notes) {
  for (const [where, expr] of expressionsOf(doc)) {
    try {
      parseLicense(expr)
    } catch (e) {
      const lag = LAGGING_EXCEPTIONS.find((x) => expr.includes('WITH ' + x))
      let stripped = expr
      for (const x of LAGGING_EXCEPTIONS) {
        stripped = stripped.split(' WITH ' + x).join('')
      }
      if (lag && stripped !== expr && parses(stripped)) {
        notes.push('spdx-expression-parse lags the SPDX list: ' + lag)
      } else {
        errors.push('spdx-expression-parse: ' + where + ': ' + expr + ': ' + e.message)
      }
    }
  }
}

function parses (expr) {
  try {
    parseLicense(expr)
    return true
  } catch (e) {
    return false
  }
}

async function checkFile (file) {
  const errors = []
  const notes = []
  let text, doc
  try {
    text = fs.readFileSync(file, 'utf8')
    doc = JSON.parse(text)
  } catch (e) {
    return { file, errors: ['cannot read: ' + e.message], notes }
  }
  if (doc.bomFormat === 'CycloneDX') await validateCycloneDX(text, doc, errors)
  checkPurls(doc, errors)
  checkLicenses(doc, errors, notes)
  return { file, errors, notes: [...new Set(notes)] }
}

async function serve () {
  const rl = readline.createInterface({ input: process.stdin })
  for await (const line of rl) {
    if (line) process.stdout.write(JSON.stringify(await checkFile(line)) + '\n')
  }
}

function spdx3Schema (schemaFile, files) {
  const Ajv2020 = require('ajv/dist/2020')
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'))
  const validate = new Ajv2020({ allErrors: true }).compile(schema)
  let bad = 0
  for (const file of files) {
    if (validate(JSON.parse(fs.readFileSync(file, 'utf8')))) continue
    bad++
    for (const e of validate.errors) {
      console.log(file + ': ' + (e.instancePath || '(root)') + ': ' + e.message +
                  ' ' + JSON.stringify(e.params))
    }
  }
  return bad
}

async function main (args) {
  if (args[0] === '--serve') return serve()
  if (args[0] === '--spdx3-schema') {
    process.exitCode = spdx3Schema(args[1], args.slice(2)) ? 1 : 0
    return
  }
  let bad = 0
  for (const file of args) {
    const r = await checkFile(file)
    for (const e of r.errors) console.log(file + ': ' + e)
    for (const n of r.notes) console.log(file + ': note: ' + n)
    if (r.errors.length) bad++
  }
  process.exitCode = bad ? 1 : 0
}

main(process.argv.slice(2)).catch((e) => {
  console.error('check.cjs: ' + e.stack)
  process.exitCode = 2
})
