import { DomainError, ErrorCode } from '@herald/contracts';
import { compileFilter } from './payload-filter';

const sms = {
  id: 'evt_1',
  type: 'message.received',
  workspaceId: 'ws_1',
  occurredAt: '2026-03-20T14:00:00.000Z',
  data: {
    id: 'msg_1',
    conversationId: 'cnv_1',
    communicationType: 'sms',
    to: ['+17025550000', '+17025550001'],
    from: '+17025551111',
    text: 'The quick brown fox',
    outbound: false,
    lineId: 'line_a',
    meta: { priority: 3, tags: ['vip', 'new'] },
  },
};
const email = {
  ...sms,
  data: { ...sms.data, communicationType: 'email', lineId: 'line_b', meta: { priority: 1, tags: [] } },
};

function invalid(filter: unknown): DomainError {
  try {
    compileFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.InvalidFilter);
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`);
}

describe('compileFilter', () => {
  it('matches everything for null and {}', () => {
    expect(compileFilter(null)(sms)).toBe(true);
    expect(compileFilter({})(email)).toBe(true);
  });

  it('scopes to SMS only (the seed relay condition)', () => {
    const only = compileFilter({ 'data.communicationType': 'sms' });
    expect(only(sms)).toBe(true);
    expect(only(email)).toBe(false);
  });

  it('scopes to one phone line via an array field and to one channel', () => {
    expect(compileFilter({ 'data.to': '+17025550001' })(sms)).toBe(true);
    expect(compileFilter({ 'data.to': '+17025559999' })(sms)).toBe(false);
    expect(compileFilter({ 'data.lineId': { $eq: 'line_b' } })(email)).toBe(true);
    expect(compileFilter({ 'data.lineId': { $eq: 'line_b' } })(sms)).toBe(false);
  });

  it.each([
    [{ 'data.meta.priority': { $gt: 2 } }, true, false],
    [{ 'data.meta.priority': { $gte: 1, $lt: 3 } }, false, true],
    [{ 'data.meta.priority': { $lte: 1 } }, false, true],
    [{ 'data.communicationType': { $ne: 'sms' } }, false, true],
    [{ 'data.communicationType': { $in: ['sms', 'mms'] } }, true, false],
    [{ 'data.communicationType': { $nin: ['sms', 'mms'] } }, false, true],
    [{ 'data.meta.tags': 'vip' }, true, false],
    [{ 'data.meta.tags': { $in: ['vip'] } }, true, false],
    [{ 'data.media': { $exists: false } }, true, true],
    [{ 'data.text': { $exists: true } }, true, true],
    [{ 'data.text': { $regex: '^the quick', $options: 'i' } }, true, true],
    [{ $or: [{ 'data.meta.priority': 3 }, { 'data.lineId': 'line_x' }] }, true, false],
    [{ $and: [{ 'data.outbound': false }, { 'data.communicationType': 'email' }] }, false, true],
    [{ 'data.communicationType': { $not: { $eq: 'sms' } } }, false, true],
    [{ 'data.communicationType': { $not: { $regex: '^e' } } }, true, false],
    [{ type: 'message.received', workspaceId: 'ws_1' }, true, true],
  ])('%j -> sms %s, email %s', (filter, onSms, onEmail) => {
    const test = compileFilter(filter);
    expect(test(sms)).toBe(onSms);
    expect(test(email)).toBe(onEmail);
  });

  it.each([
    [{ $where: 'this.data.x == 1' }, /unsupported operator \$where/],
    [{ 'data.x': { $function: {} } }, /at data\.x\.\$function: unsupported operator \$function/],
    [{ 'data.x': { $elemMatch: { a: 1 } } }, /unsupported operator \$elemMatch/],
    [{ 'data.x': { $eq: 1, other: 2 } }, /mixes operators and field names/],
    [{ 'data.x': { $in: 'sms' } }, /\$in: expects an array/],
    [{ 'data.x': { $exists: 'yes' } }, /\$exists: expects true or false/],
    [{ 'data.x': { $gt: { a: 1 } } }, /\$gt: expects a number or a string/],
    [{ 'data.x': { $regex: '(' } }, /not a valid regular expression/],
    [{ 'data.x': { $regex: '(a+)+$' } }, /nested quantifiers/],
    [{ 'data.x': { $options: 'i' } }, /only allowed beside \$regex/],
    [{ $or: [] }, /\$or: expects a non-empty array/],
    [{ $and: {} }, /\$and: expects a non-empty array/],
    [{ 'data.__proto__.x': 1 }, /"__proto__" is not allowed/],
    [{ 'data..x': 1 }, /empty path segment/],
    [{ 'data.x': { $not: 'sms' } }, /\$not: expects an object of operators/],
    [{ 'data.x': { nested: { $gt: 1 } } }, /operator \$gt is not allowed inside a literal value/],
    [['data.x'], /must be a JSON object/],
    ['sms', /must be a JSON object/],
  ])('rejects %j', (filter, message) => {
    expect(invalid(filter).message).toMatch(message);
  });

  it('bounds size and depth', () => {
    let deep: Record<string, unknown> = { 'data.x': 1 };
    for (let i = 0; i < 20; i++) deep = { $and: [deep] };
    expect(invalid(deep).message).toMatch(/nested deeper/);
    const wide = { $or: Array.from({ length: 600 }, (_, i) => ({ [`data.f${i}`]: i })) };
    expect(invalid(wide).message).toMatch(/more than 500 conditions/);
  });
});
