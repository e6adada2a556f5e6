import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateEndpointDto, UpdateEndpointDto } from './endpoint.dto';

const base = { url: 'https://receiver.example.test/hook', eventTypes: ['message.received'] };
const problems = (body: object) =>
  validateSync(plainToInstance(CreateEndpointDto, { ...base, ...body })).map((error) => error.property);

describe('endpoint eventVersion pin', () => {
  it.each([1, 2, null])('takes %j (a catalogued version, or none)', (eventVersion) => {
    expect(problems({ eventVersion })).toEqual([]);
  });

  it.each([0, 3, 1.5, '2'])('refuses %j (no type has that version)', (eventVersion) => {
    expect(problems({ eventVersion })).toEqual(['eventVersion']);
  });

  it('can be changed by an update', () => {
    expect(validateSync(plainToInstance(UpdateEndpointDto, { eventVersion: 2 }))).toEqual([]);
  });
});
