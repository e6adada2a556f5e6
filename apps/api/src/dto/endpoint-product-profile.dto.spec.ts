import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateEndpointDto, UpdateEndpointDto } from './endpoint.dto';

const base = { url: 'https://receiver.example.test/hook', eventTypes: ['message.received'] };
const problems = (body: object) =>
  validateSync(plainToInstance(CreateEndpointDto, { ...base, ...body })).map((error) => error.property);

describe('endpoint productProfile', () => {
  it.each(['guddesk', 'messagedesk', 'messages-dev', 'nexadesk', null])('takes %j', (productProfile) => {
    expect(problems({ productProfile })).toEqual([]);
  });

  it.each(['zendesk', 'NexaDesk', 'herald', 3])('refuses %j, naming the field', (productProfile) => {
    expect(problems({ productProfile })).toEqual(['productProfile']);
  });

  it('can be changed or cleared by an update', () => {
    for (const productProfile of ['nexadesk', null]) {
      expect(validateSync(plainToInstance(UpdateEndpointDto, { productProfile }))).toEqual([]);
    }
  });
});
