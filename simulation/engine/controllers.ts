// Controller detection is a pure function of the model (simulation/model/controllers.ts), shared by the engine,
// which runs only the deployed controllers, and the checks, which report the missing ones.
export { deployedControllers, isScalable, scalableNodeGroups, type DeployedControllers } from '../model/controllers';
