// Generated from Herald's event catalogue (libs/contracts) by sdk/receiver/scripts/events-codegen.cjs
// during `npm run build`; do not edit. A spec fails when this file and the catalogue differ.

import type { JsonSchema } from '../validate.js';

/** The envelope of Herald's events (the `herald` payload profile's top level). */
export const ENVELOPE_SCHEMA: JsonSchema = {
  "$id": "urn:herald:schema:domain-event:v1",
  "type": "object",
  "required": [
    "id",
    "type",
    "workspaceId",
    "occurredAt",
    "data"
  ],
  "properties": {
    "id": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
    },
    "type": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
    },
    "workspaceId": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
    },
    "occurredAt": {
      "type": "string",
      "format": "date-time"
    },
    "schemaVersion": {
      "type": "integer",
      "minimum": 1,
      "maximum": 1000
    },
    "data": {
      "type": "object"
    }
  },
  "additionalProperties": true
};

/** Each type's `data` schema by version. */
export const DATA_SCHEMAS: Readonly<Record<string, Readonly<Record<number, JsonSchema>>>> = {
  "contact.created": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "name": {
          "type": [
            "string",
            "null"
          ]
        },
        "email": {
          "type": [
            "string",
            "null"
          ]
        },
        "phone": {
          "type": [
            "string",
            "null"
          ]
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "contact.updated": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "name": {
          "type": [
            "string",
            "null"
          ]
        },
        "email": {
          "type": [
            "string",
            "null"
          ]
        },
        "phone": {
          "type": [
            "string",
            "null"
          ]
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "conversation.assigned": {
    "1": {
      "type": "object",
      "required": [
        "id",
        "assigneeId"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "status": {
          "type": "string"
        },
        "channel": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "assigneeId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "tags": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "conversation.closed": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "status": {
          "type": "string"
        },
        "channel": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "assigneeId": {
          "type": [
            "string",
            "null"
          ]
        },
        "tags": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "conversation.created": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "status": {
          "type": "string"
        },
        "channel": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "assigneeId": {
          "type": [
            "string",
            "null"
          ]
        },
        "tags": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "conversation.updated": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "status": {
          "type": "string"
        },
        "channel": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "assigneeId": {
          "type": [
            "string",
            "null"
          ]
        },
        "tags": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "updatedAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "delivery.exhausted": {
    "1": {
      "type": "object",
      "required": [
        "endpointId",
        "deliveryId"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "deliveryId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "eventId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "eventType": {
          "type": "string"
        },
        "attempts": {
          "type": "integer",
          "minimum": 1
        }
      },
      "additionalProperties": true
    }
  },
  "endpoint.circuit_closed": {
    "1": {
      "type": "object",
      "required": [
        "endpointId"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "endpoint.circuit_opened": {
    "1": {
      "type": "object",
      "required": [
        "endpointId"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "probeAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "endpoint.disabled": {
    "1": {
      "type": "object",
      "required": [
        "endpointId",
        "cause"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "cause": {
          "type": "string",
          "enum": [
            "endpoint_gone",
            "endpoint_failing",
            "manual"
          ]
        },
        "deliveryId": {
          "type": [
            "string",
            "null"
          ]
        }
      },
      "additionalProperties": true
    }
  },
  "endpoint.enabled": {
    "1": {
      "type": "object",
      "required": [
        "endpointId"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "endpoint.failing": {
    "1": {
      "type": "object",
      "required": [
        "endpointId",
        "threshold",
        "failingSince",
        "disableAt"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "threshold": {
          "type": "integer",
          "enum": [
            50,
            70,
            90
          ]
        },
        "failingSince": {
          "type": "string",
          "format": "date-time"
        },
        "disableAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "endpoint.recovered": {
    "1": {
      "type": "object",
      "required": [
        "endpointId",
        "failingSince",
        "threshold"
      ],
      "properties": {
        "endpointId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "failingSince": {
          "type": "string",
          "format": "date-time"
        },
        "threshold": {
          "type": "integer",
          "enum": [
            50,
            70,
            90
          ]
        }
      },
      "additionalProperties": true
    }
  },
  "lead.created": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "visitor_name": {
          "type": [
            "string",
            "null"
          ]
        },
        "visitor_email": {
          "type": [
            "string",
            "null"
          ]
        },
        "pipeline_stage": {
          "type": [
            "string",
            "null"
          ]
        },
        "source": {
          "type": [
            "string",
            "null"
          ]
        },
        "created_at": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "lead.deleted": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "lead.updated": {
    "1": {
      "type": "object",
      "required": [
        "id"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "visitor_name": {
          "type": [
            "string",
            "null"
          ]
        },
        "visitor_email": {
          "type": [
            "string",
            "null"
          ]
        },
        "pipeline_stage": {
          "type": [
            "string",
            "null"
          ]
        },
        "source": {
          "type": [
            "string",
            "null"
          ]
        },
        "created_at": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "message.created": {
    "1": {
      "type": "object",
      "required": [
        "id",
        "conversationId"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "object": {
          "type": "string"
        },
        "workspaceId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "communicationType": {
          "type": "string",
          "minLength": 1,
          "maxLength": 50
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "channelId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "to": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "from": {
          "type": "string"
        },
        "text": {
          "type": [
            "string",
            "null"
          ]
        },
        "media": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "outbound": {
          "type": "boolean"
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "senderType": {
          "type": "string",
          "enum": [
            "visitor",
            "agent",
            "bot"
          ]
        }
      },
      "additionalProperties": true
    }
  },
  "message.received": {
    "1": {
      "type": "object",
      "required": [
        "id",
        "conversationId"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "object": {
          "type": "string"
        },
        "workspaceId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "communicationType": {
          "type": "string",
          "minLength": 1,
          "maxLength": 50
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "channelId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "to": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "from": {
          "type": "string"
        },
        "text": {
          "type": [
            "string",
            "null"
          ]
        },
        "media": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "outbound": {
          "type": "boolean"
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    },
    "2": {
      "type": "object",
      "required": [
        "id",
        "conversationId",
        "from"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "object": {
          "type": "string"
        },
        "workspaceId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "communicationType": {
          "type": "string",
          "minLength": 1,
          "maxLength": 50
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "channelId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "to": {
          "type": "array",
          "items": {
            "type": "object",
            "required": [
              "address"
            ],
            "properties": {
              "address": {
                "type": "string",
                "minLength": 1,
                "maxLength": 320
              },
              "name": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "additionalProperties": true
          }
        },
        "from": {
          "type": "object",
          "required": [
            "address"
          ],
          "properties": {
            "address": {
              "type": "string",
              "minLength": 1,
              "maxLength": 320
            },
            "name": {
              "type": [
                "string",
                "null"
              ]
            }
          },
          "additionalProperties": true
        },
        "text": {
          "type": [
            "string",
            "null"
          ]
        },
        "media": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "outbound": {
          "type": "boolean"
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "message.sent": {
    "1": {
      "type": "object",
      "required": [
        "id",
        "conversationId"
      ],
      "properties": {
        "id": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "object": {
          "type": "string"
        },
        "workspaceId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "communicationType": {
          "type": "string",
          "minLength": 1,
          "maxLength": 50
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "channelId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "to": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "from": {
          "type": "string"
        },
        "text": {
          "type": [
            "string",
            "null"
          ]
        },
        "media": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "outbound": {
          "type": "boolean"
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "additionalProperties": true
    }
  },
  "reaction.added": {
    "1": {
      "type": "object",
      "required": [
        "messageId",
        "reaction"
      ],
      "properties": {
        "messageId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "reaction": {
          "type": "string",
          "minLength": 1,
          "maxLength": 100
        },
        "sender": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "reaction.removed": {
    "1": {
      "type": "object",
      "required": [
        "messageId",
        "reaction"
      ],
      "properties": {
        "messageId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "reaction": {
          "type": "string",
          "minLength": 1,
          "maxLength": 100
        },
        "sender": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "receipt.read": {
    "1": {
      "type": "object",
      "required": [
        "messageId"
      ],
      "properties": {
        "messageId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "readAt": {
          "type": "string",
          "format": "date-time"
        },
        "reader": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "typing.started": {
    "1": {
      "type": "object",
      "required": [
        "conversationId"
      ],
      "properties": {
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "participant": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  },
  "typing.stopped": {
    "1": {
      "type": "object",
      "required": [
        "conversationId"
      ],
      "properties": {
        "conversationId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "participant": {
          "type": "string"
        },
        "lineId": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      },
      "additionalProperties": true
    }
  }
};
