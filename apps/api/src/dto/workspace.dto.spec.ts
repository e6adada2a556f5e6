import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateWorkspaceDto } from './workspace.dto';

const problems = (body: object) =>
  validateSync(plainToInstance(CreateWorkspaceDto, body)).map((error) => error.property);

describe('CreateWorkspaceDto', () => {
  it('takes a workspace without an id (one is generated)', () => {
    expect(problems({ name: 'Acme' })).toEqual([]);
  });

  it('refuses a null id instead of silently generating one', () => {
    expect(problems({ name: 'Acme', id: null })).toEqual(['id']);
  });

  it('refuses an id outside the allowed characters', () => {
    expect(problems({ name: 'Acme', id: 'a b' })).toEqual(['id']);
  });
});
