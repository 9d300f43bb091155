import { registerDecorator, ValidationArguments } from 'class-validator';
import { smsBodyProblem } from './sms-body';

/** The message body rules of every request that carries one (send, approval request). */
export function IsSmsBody(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSmsBody',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => smsBodyProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => smsBodyProblem(args?.value) ?? '',
      },
    });
}
