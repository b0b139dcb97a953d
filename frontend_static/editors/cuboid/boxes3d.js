// The cuboids in the 3D perspective view: one wireframe box (with a heading line) and one faint filled box per
// cuboid, coloured by category; the selected one is brighter. Picking is a three.js raycast on the filled boxes.
import * as THREE from "three";

import { rotationMatrix } from "../pointcloud/cuboid.js";

const UNIT_BOX = new THREE.BoxGeometry(1, 1, 1);
const UNIT_EDGES = new THREE.EdgesGeometry(UNIT_BOX);
const HEADING = new THREE.BufferGeometry().setAttribute("position", new THREE.Float32BufferAttribute([0, 0, 0, 0.5, 0, 0], 3));

export class BoxLayer {
  /** @param {THREE.Scene} scene */
  constructor(scene) {
    this.group = new THREE.Group();
    scene.add(this.group);
    /** @type {THREE.Mesh[]} */
    this.pickable = [];
    /**
     * Materials by kind, colour and selection, kept for the layer's life (a few per category): an update reuses
     * them, so three.js never releases and recompiles their shader programs (a frame switch redraws every box;
     * a program link costs tens of ms under a software GL).
     * @type {Map<string, THREE.Material>}
     */
    this.materials = new Map();
  }

  /**
   * The shared material of a box part.
   * @param {"edges"|"fill"} kind
   * @param {THREE.Color} color
   * @param {boolean} selected
   */
  material(kind, color, selected) {
    const key = `${kind}:${color.getHexString()}:${selected}`;
    if (!this.materials.has(key)) {
      this.materials.set(key, kind === "edges"
        ? new THREE.LineBasicMaterial({ color: selected ? 0xffffff : color })
        : new THREE.MeshBasicMaterial({ color, transparent: true, opacity: selected ? 0.3 : 0.12, depthWrite: false }));
    }
    return this.materials.get(key);
  }

  /**
   * Replace the drawn cuboids.
   * @param {any[]} cuboids annotations (position, dimensions, yaw, rotation?)
   * @param {{selectedId: number|null, colorOf: (cuboid: any) => number[], useRotation: boolean, faded?: Set<number>}} options
   */
  update(cuboids, options) {
    this.group.clear();
    this.pickable = [];
    for (const cuboid of cuboids) {
      const selected = cuboid.id === options.selectedId;
      const [r, g, b] = options.colorOf(cuboid).map((channel) => channel / 255);
      const color = new THREE.Color(r, g, b);
      const object = new THREE.Group();
      const edges = new THREE.LineSegments(UNIT_EDGES, this.material("edges", color, selected));
      const heading = new THREE.LineSegments(HEADING, this.material("edges", color, selected));
      const fill = new THREE.Mesh(UNIT_BOX, this.material("fill", color, selected));
      fill.userData.cuboidId = cuboid.id;
      object.add(fill, edges, heading);
      placeBox(object, cuboid, options.useRotation);
      this.group.add(object);
      this.pickable.push(fill);
    }
  }

  /**
   * The id of the cuboid under a pointer (normalised device coordinates), nearest first; null when none.
   * @param {THREE.Camera} camera
   * @param {{x: number, y: number}} ndc
   */
  pick(camera, ndc) {
    const raycaster = new THREE.Raycaster();
    raycaster.setFromCamera(new THREE.Vector2(ndc.x, ndc.y), camera);
    const [hit] = raycaster.intersectObjects(this.pickable, false);
    return hit ? hit.object.userData.cuboidId : null;
  }
}

/** Put a unit-sized `object` where `cuboid` is: its position, rotation and dimensions as scale. */
export function placeBox(object, cuboid, useRotation) {
  const r = rotationMatrix(cuboid, { useRotation });
  const matrix = new THREE.Matrix4().set(
    r[0], r[1], r[2], 0,
    r[3], r[4], r[5], 0,
    r[6], r[7], r[8], 0,
    0, 0, 0, 1,
  );
  object.quaternion.setFromRotationMatrix(matrix);
  object.position.set(cuboid.position.x, cuboid.position.y, cuboid.position.z);
  object.scale.set(cuboid.dimensions.x, cuboid.dimensions.y, cuboid.dimensions.z);
}
