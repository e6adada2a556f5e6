import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@herald/contracts';

/** Ids that cannot exist are simply not found, never a database error. */
@Injectable()
export class UuidIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      throw new DomainError(ErrorCode.NotFound, `${value.slice(0, 100)} not found`);
    }
    return value.toLowerCase();
  }
}
