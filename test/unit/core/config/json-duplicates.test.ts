import { describe, expect, it } from 'vitest'
import { findDuplicateKey } from '../../../../main/core/config/json-duplicates'

describe('findDuplicateKey', () => {
  describe('when a key appears twice in one object', () => {
    it.each([
      ['{"a":1,"b":{"c":[1,{"d":2,"d":3}]}}', ['b', 'c', 1, 'd']],
      ['{"m":[{"id":"a"},{"id":"b","url":"u","url":"v"}]}', ['m', 1, 'url']],
      // Compared after unescaping, as JSON.parse compares them.
      ['{"\\u0061":1,"a":2}', ['a']],
      ['{ "a" : 1 ,\n "a"\t: 2 }', ['a']],
    ])('finds %s at its path', (text, path) => {
      expect(findDuplicateKey(text)).toEqual(path)
    })
  })

  describe('when no object repeats a key', () => {
    it.each([
      '{"a":1,"b":2}',
      '[{"a":1},{"a":1}]',
      '{"a":"x\\"a\\":","b":{"a":1}}',
      '{"a":["a","a"]}',
      '"a"',
    ])('finds nothing in %s', (text) => {
      expect(findDuplicateKey(text)).toBeUndefined()
    })
  })
})
