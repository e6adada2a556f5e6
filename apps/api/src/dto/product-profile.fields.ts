import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PRODUCT_PROFILE_NAMES, PRODUCT_PROFILE_SETTINGS } from '@herald/contracts';

/** The productProfile request field (create and PATCH), kept here so endpoint.dto stays short. */
export function ProductProfileField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: PRODUCT_PROFILE_NAMES,
      nullable: true,
      description:
        'Set up the endpoint as a seed product documents it: payloadProfile, signatureScheme, ' +
        'signatureHeader, retrySchedule and (on create) verifyOnCreate at once; any of them sent in the ' +
        'same request wins. A later PATCH to another profile applies that one (again except what is sent ' +
        'with it); null only clears the label. A profile schedule needing retry tiers the deployment ' +
        'lacks is refused with 422 UNKNOWN_RETRY_TIER unless retrySchedule is sent too',
    }),
    IsOptional(),
    IsIn(PRODUCT_PROFILE_NAMES),
  );
}

export function ProductProfileViewField(): PropertyDecorator {
  return ApiProperty({ enum: PRODUCT_PROFILE_NAMES, nullable: true, type: String });
}

export function ProfileOverridesViewField(): PropertyDecorator {
  return ApiProperty({
    enum: PRODUCT_PROFILE_SETTINGS,
    isArray: true,
    description: 'Stored settings that differ from what productProfile names; empty without a profile',
  });
}
